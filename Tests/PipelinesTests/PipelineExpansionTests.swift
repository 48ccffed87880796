import Foundation
import Pipelines
import Testing

/// A definition becomes one command line per instance: inputs bound on the
/// instance's own host, outputs connected to every instance of the next
/// stage wherever it runs.
@Suite struct PipelineExpansionTests {
    static let folder = PipelineFilesTests.folder
    let run = UUID(uuidString: "5F0C0000-0000-4000-8000-000000000001")!
    let configDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-test-config", isDirectory: true)

    func values(_ launch: Launch, _ option: String) -> [String] {
        zip(launch.arguments, launch.arguments.dropFirst()).filter { $0.0 == option }.map(\.1)
    }

    @Test func localWiresEveryInstanceToEveryNextInstance() throws {
        let definition = try PipelineLoader.load(file: Self.folder.appendingPathComponent("local.yaml"))
        let context = LaunchContext(runID: run, host: try definition.resolveHost(nil), configDirectory: configDirectory,
                                    archive: "/srv/archive", watch: "/data/tonight", configFiles: ["night.yaml"],
                                    overrides: ["runtime.attempts=5"], environment: ["NOCTURNE_DATABASE_URL": "postgresql://db"])
        let launches = try definition.launches(context)
        #expect(launches.map(\.instance) == ["ingest-1", "preprocess-1", "preprocess-2", "difference-1", "difference-2",
                                             "extract-1", "embed-1", "score-1", "alert-1"])
        let byName = Dictionary(uniqueKeysWithValues: launches.map { ($0.instance, $0) })
        let ingest = try #require(byName["ingest-1"])
        #expect(ingest.executable == "nocturne-ingest")
        #expect(values(ingest, "--input").isEmpty)
        #expect(values(ingest, "--watch") == ["/data/tonight"])
        #expect(values(ingest, "--output") == ["tcp://127.0.0.1:5610", "tcp://127.0.0.1:5611"])
        #expect(values(ingest, "--run-id") == [run.uuidString.lowercased()])
        #expect(ingest.environment["NOCTURNE_DATABASE_URL"] == "postgresql://db")

        let preprocess2 = try #require(byName["preprocess-2"])
        #expect(values(preprocess2, "--input") == ["tcp://127.0.0.1:5611"])
        #expect(values(preprocess2, "--metrics-port") == ["5616"])
        #expect(values(preprocess2, "--output") == ["tcp://127.0.0.1:5620", "tcp://127.0.0.1:5621"])
        #expect(values(preprocess2, "--archive") == ["/srv/archive"])
        #expect(values(preprocess2, "--watch").isEmpty)

        let difference = try #require(byName["difference-1"])
        #expect(values(difference, "--output") == ["tcp://127.0.0.1:5630"])
        // The pipeline's overlay file first, then the operator's files and pairs.
        #expect(values(difference, "--config") == [configDirectory.appendingPathComponent("difference-1.yaml").path, "night.yaml"])
        #expect(values(difference, "--set") == ["runtime.attempts=5"])
        let overlay = try #require(difference.configFile?.yaml)
        #expect(overlay.contains("lease_seconds: 600"))

        let alert = try #require(byName["alert-1"])
        #expect(values(alert, "--output").isEmpty)
        #expect(values(alert, "--publish") == ["tcp://127.0.0.1:5670"])
        #expect(values(alert, "--instance") == ["alert-1"])
    }

    @Test func multiHostStartsOnlyTheNamedHostsInstances() throws {
        let definition = try PipelineLoader.load(file: Self.folder.appendingPathComponent("multi-host.yaml"))
        #expect(throws: PipelineError.self) { try definition.resolveHost(nil) }
        #expect(throws: PipelineError.self) { try definition.resolveHost("nowhere") }

        let imaging2 = try definition.launches(LaunchContext(runID: run, host: "imaging-2", configDirectory: configDirectory))
        #expect(imaging2.map(\.instance) == ["preprocess-3", "preprocess-4", "difference-2"])
        let preprocess3 = imaging2[0]
        #expect(values(preprocess3, "--input") == ["tcp://10.0.0.12:5610"])
        // Outputs reach both imaging hosts' difference instances.
        #expect(values(preprocess3, "--output") == ["tcp://10.0.0.11:5620", "tcp://10.0.0.12:5620"])
        #expect(values(imaging2[2], "--output") == ["tcp://10.0.0.20:5630"])

        let ingest = try definition.launches(LaunchContext(runID: run, host: "ingest", configDirectory: configDirectory))
        #expect(ingest.map(\.instance) == ["ingest-1"])
        #expect(values(ingest[0], "--output") == ["tcp://10.0.0.11:5610", "tcp://10.0.0.11:5611",
                                                  "tcp://10.0.0.12:5610", "tcp://10.0.0.12:5611"])
        #expect(values(ingest[0], "--watch") == ["/data/incoming"])

        let science = try definition.launches(LaunchContext(runID: run, host: "science", configDirectory: configDirectory))
        #expect(science.map(\.instance) == ["extract-1", "embed-1", "score-1", "alert-1"])
        #expect(values(science[3], "--publish") == ["tcp://*:5670"])
    }

    @Test func aHostNamedByDNSBindsEveryInterface() throws {
        let definition = try PipelineLoader.load(yaml: """
            pipeline: p
            hosts: {edge: ingest.example.org, core: core.example.org}
            stages:
              - {stage: ingest, host: edge}
              - {stage: preprocess, host: core, input_port: 5610, instances: 1}
            """, file: "p.yaml")
        let core = try definition.launches(LaunchContext(runID: run, host: "core", configDirectory: configDirectory))
        #expect(values(core[0], "--input") == ["tcp://*:5610"])
        let edge = try definition.launches(LaunchContext(runID: run, host: "edge", configDirectory: configDirectory))
        #expect(values(edge[0], "--output") == ["tcp://core.example.org:5610"])
    }

    @Test func explicitInputPortsAreUsedInOrder() throws {
        let definition = try PipelineLoader.load(yaml: """
            pipeline: p
            stages:
              - {stage: ingest}
              - {stage: preprocess, instances: 2, input_ports: [5701, 5799]}
            """, file: "p.yaml")
        let launches = try definition.launches(LaunchContext(runID: run, host: "local", configDirectory: configDirectory))
        #expect(values(launches[0], "--output") == ["tcp://127.0.0.1:5701", "tcp://127.0.0.1:5799"])
        #expect(definition.terminalStatuses == ["preprocessed", "failed"])
    }
}
