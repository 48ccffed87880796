// swift-tools-version:6.0
// Nocturne: a streaming anomaly-monitoring pipeline for astronomical survey images.
//
// Layout: one system-library target per C library (CFITSIO, CWCSLIB, CFFTW,
// CZeroMQ, CLibPQ); above each exactly one Swift module that imports it (FITS,
// WCS, FFT, Messaging, Database). Pure modules sit above those; executables are
// thin mains. Heavy dependencies go only into the targets that need them.
import PackageDescription

let package = Package(
    name: "Nocturne",
    products: [
        .executable(name: "nocturne", targets: ["nocturne"]),
        .executable(name: "nocturne-ingest", targets: ["nocturne-ingest"]),
        .executable(name: "nocturne-preprocess", targets: ["nocturne-preprocess"]),
        .executable(name: "nocturne-difference", targets: ["nocturne-difference"]),
        .executable(name: "nocturne-extract", targets: ["nocturne-extract"]),
        .executable(name: "nocturne-embed", targets: ["nocturne-embed"]),
        .executable(name: "nocturne-score", targets: ["nocturne-score"]),
        .executable(name: "nocturne-alert", targets: ["nocturne-alert"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.20.0"),
    ],
    targets: [
        // MARK: C libraries, wrapped once each.
        .systemLibrary(
            name: "CFITSIO", path: "Sources/CFITSIO", pkgConfig: "cfitsio",
            providers: [.apt(["libcfitsio-dev"])]),
        .systemLibrary(
            name: "CWCSLIB", path: "Sources/CWCSLIB", pkgConfig: "wcslib",
            providers: [.apt(["wcslib-dev"])]),
        .systemLibrary(
            name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f",
            providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(
            name: "CZeroMQ", path: "Sources/CZeroMQ", pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),

        // MARK: The Swift module above each C library.
        .target(name: "FITS", dependencies: ["CFITSIO", "Pixels"]),
        .target(name: "WCS", dependencies: ["CWCSLIB"]),
        .target(name: "FFT", dependencies: ["CFFTW", "Pixels"]),
        .target(name: "Messaging", dependencies: ["CZeroMQ"]),
        .target(
            name: "Database",
            dependencies: ["CLibPQ", "Checksum", .product(name: "Logging", package: "swift-log")]),

        // MARK: Pure Swift.
        .target(name: "Pixels"),
        .target(name: "Imaging", dependencies: ["Pixels"]),
        .target(name: "Preprocessing", dependencies: ["Imaging"]),
        .target(name: "Subtraction", dependencies: ["Imaging", "FFT"]),
        .target(name: "Extraction", dependencies: ["Imaging", "Subtraction", "WCS"]),
        .target(
            name: "Differencing",
            dependencies: ["Imaging", "Preprocessing", "Subtraction", "Extraction", "WCS", "FITS", "FFT"]),
        .target(name: "Simulation", dependencies: ["Imaging", "WCS", "FITS"]),
        .target(name: "Evaluation", dependencies: ["Extraction", "Imaging"]),
        // Fitted maps and classifiers: pure Swift, deterministic, no I/O.
        // Optimized even in debug builds: its fits are numeric loops that run
        // 20–50 times slower unoptimized, which would make the tests crawl.
        .target(name: "Learning", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Features, the real/bogus and anomaly models, detection types.
        .target(name: "Scoring", dependencies: ["Learning", "Extraction"]),
        // Simulated nights labelled by their truth: training and held-out sets.
        .target(name: "Training", dependencies: ["Scoring", "Learning", "Differencing", "Evaluation", "Imaging"]),
        .target(name: "BuildInfo"),
        .target(name: "Checksum"),
        // Alert rules, their evaluation and the routing state machine (pure).
        .target(name: "Alerting", dependencies: ["Checksum", .product(name: "Yams", package: "Yams")]),
        // Alert channels: webhooks (HTTP POST with HMAC), JSON-lines files.
        .target(name: "Delivery", dependencies: ["Checksum"]),
        .target(name: "Envelopes", dependencies: ["Pixels"]),
        .target(name: "Picture", dependencies: ["Imaging"]),
        .target(name: "Report", dependencies: ["Store"]),
        .target(
            name: "Configuration",
            dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(
            name: "Observations",
            dependencies: ["FITS", "WCS", "Checksum", "Configuration"]),
        .target(
            name: "Store",
            dependencies: ["Database", "Observations", "BuildInfo", "Checksum"]),

        // MARK: The running system.
        .target(
            name: "StageRuntime",
            dependencies: [
                "BuildInfo", "Configuration", "Database", "Envelopes", "Messaging", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]),
        .target(
            name: "Pipelines",
            dependencies: ["Configuration", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "Supervisor",
            dependencies: ["Pipelines", "Store", "Database", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Stages",
            dependencies: [
                "StageRuntime", "Checksum", "Differencing", "Envelopes", "Extraction", "FITS", "Imaging", "Observations",
                "Pixels", "Store", "Subtraction", "Configuration", "Learning", "Scoring", "Picture", "Alerting", "Delivery",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: Commands and thin executables.
        .target(
            name: "NocturneCLI",
            dependencies: [
                "BuildInfo", "Checksum", "Configuration", "Database", "Differencing", "Evaluation", "FFT", "FITS", "Messaging",
                "Observations", "Picture", "Pipelines", "Preprocessing", "Simulation", "Store", "Supervisor", "WCS",
                "Learning", "Scoring", "Training", "Stages", "StageRuntime", "Envelopes", "Alerting", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "nocturne", dependencies: ["NocturneCLI"]),
        stage("nocturne-ingest"),
        stage("nocturne-preprocess"),
        stage("nocturne-difference"),
        stage("nocturne-extract"),
        stage("nocturne-embed"),
        stage("nocturne-score"),
        stage("nocturne-alert"),
        .target(
            name: "StageMain",
            dependencies: [
                "BuildInfo", "Configuration", "Observations", "StageRuntime", "Stages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: Tests. Helpers ship as their own target, as HummingbirdTesting does.
        .target(name: "TestSupport", dependencies: ["Database", "Store", "Imaging", "Simulation"], path: "Tests/TestSupport"),
        .testTarget(name: "PixelsTests", dependencies: ["Pixels"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning"]),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "Checksum"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", .product(name: "FlyingFox", package: "FlyingFox")]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Learning", "Training", "Extraction", "Simulation", "TestSupport"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration"]),
        .testTarget(name: "ChecksumTests", dependencies: ["Checksum"]),
        .testTarget(name: "EnvelopesTests", dependencies: ["Envelopes"]),
        .testTarget(
            name: "StageRuntimeTests",
            dependencies: [
                "StageRuntime", "TestSupport", "Database", "Envelopes", "Messaging", "Store", "Configuration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(name: "PictureTests", dependencies: ["Picture"]),
        .testTarget(
            name: "StagesTests", dependencies: ["Stages", "StageRuntime", "Store", "Database", "FITS", "Pixels", "TestSupport", "Alerting"]),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Store"]),
        .testTarget(
            name: "SupervisorTests",
            dependencies: ["Supervisor", "Pipelines", "Store", "Database", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "PreprocessingTests", dependencies: ["Preprocessing", "Imaging", "TestSupport"]),
        .testTarget(name: "SubtractionTests", dependencies: ["Subtraction", "Imaging", "TestSupport"]),
        .testTarget(
            name: "DifferencingTests",
            dependencies: ["Differencing", "Evaluation", "Picture", "Simulation", "FITS", "TestSupport"]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "Subtraction", "Imaging", "WCS", "TestSupport"]),
        .testTarget(name: "FITSTests", dependencies: ["FITS", "TestSupport"]),
        .testTarget(name: "WCSTests", dependencies: ["WCS", "FITS", "TestSupport"]),
        .testTarget(name: "FFTTests", dependencies: ["FFT", "Pixels"]),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging"]),
        .testTarget(
            name: "DatabaseTests",
            dependencies: ["Database", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ObservationsTests", dependencies: ["Observations", "FITS", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Observations", "TestSupport"]),
        .testTarget(name: "NocturneCLITests", dependencies: ["NocturneCLI", "TestSupport"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "TestSupport"]),
        .testTarget(
            name: "EvaluationTests",
            dependencies: ["Evaluation", "Differencing", "Simulation", "Extraction", "TestSupport"]),
    ]
)

/// A stage executable: a thin `main` over `StageMain`.
func stage(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["StageMain"], path: "Sources/\(name)")
}
