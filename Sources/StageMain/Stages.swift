import ArgumentParser
import Configuration
import Foundation
import Logging
import Observations
import StageRuntime
import Stages

/// The seven stages of the chain, as their executables describe themselves.
public enum IngestStage: StageIdentity {
    public static let commandName = "nocturne-ingest"
    public static let abstract = "Validate new FITS files and register them as observations."
    public static let discussion = """
        Takes new FITS files in a watched folder or a replay feed. Validates each with CFITSIO, reads its \
        header (DATE-OBS, EXPTIME, FILTER, OBJECT, WCS …) and registers the observation; bad files are \
        quarantined with the reason. Writes: observations (status ingested), ingest_files.
        """

    public static func run(options: RuntimeOptions, files: [String], document: ConfigDocument, logger: Logger) async throws {
        let settings = try document.section(IngestSettings.self, at: "ingest")
        guard options.watch != nil || !files.isEmpty else {
            throw ValidationError("nocturne-ingest needs --watch DIR or FITS files to ingest")
        }
        var isFolder: ObjCBool = false
        if let watch = options.watch, !FileManager.default.fileExists(atPath: watch, isDirectory: &isFolder) || !isFolder.boolValue {
            throw ValidationError("--watch \(watch): no such folder")
        }
        for file in files where !FileManager.default.fileExists(atPath: file) {
            throw ValidationError("\(file): no such file")
        }
        let worker = IngestWorker(settings: settings, watch: options.watch.map { URL(fileURLWithPath: $0, isDirectory: true) },
                                  files: files.map { URL(fileURLWithPath: $0) }, runID: options.runID)
        try await StageRunner.run(source: worker, options: options, document: document, logger: logger)
    }
}

public enum PreprocessStage: StageIdentity {
    public static let commandName = "nocturne-preprocess"
    public static let abstract = "Mask, model the background, measure the PSF, register and resample."
    public static let discussion = """
        Takes an ingested observation. Masks saturated and bad pixels, cosmic rays and trails; subtracts the \
        background; estimates the PSF; refines the WCS on stars and resamples the image onto its reference's \
        grid. Writes: preprocess_runs, observation status preprocessed.
        """

    public static func run(options: RuntimeOptions, files: [String], document: ConfigDocument, logger: Logger) async throws {
        let pipeline = try document.section(ExtractionSettings.self, at: "extraction").pipeline
        try await StageRunner.run(worker: PreprocessWorker(pipeline: pipeline), options: options, document: document, logger: logger)
    }
}

public enum DifferenceStage: StageIdentity {
    public static let commandName = "nocturne-difference"
    public static let abstract = "ZOGY proper image subtraction of an aligned image and its reference."
    public static let discussion = """
        Takes an aligned science image and its reference. Computes D, P_D, S and S_corr with FFTW. \
        Writes: difference_runs, observation status differenced.
        """

    public static func run(options: RuntimeOptions, files: [String], document: ConfigDocument, logger: Logger) async throws {
        let pipeline = try document.section(ExtractionSettings.self, at: "extraction").pipeline
        try await StageRunner.run(worker: DifferenceWorker(pipeline: pipeline), options: options, document: document, logger: logger)
    }
}

public enum ExtractStage: StageIdentity {
    public static let commandName = "nocturne-extract"
    public static let abstract = "Find and measure candidates in S_corr; cut stamps."
    public static let discussion = """
        Takes D and S_corr. Finds peaks above threshold, measures position, flux, shape and ZTF-style \
        features, and cuts science, reference and difference stamps. Writes: candidates.
        """

    public static func run(options: RuntimeOptions, files: [String], document: ConfigDocument, logger: Logger) async throws {
        let pipeline = try document.section(ExtractionSettings.self, at: "extraction").pipeline
        try await StageRunner.run(worker: ExtractWorker(pipeline: pipeline), options: options, document: document, logger: logger)
    }
}

public enum EmbedStage: StageIdentity {
    public static let commandName = "nocturne-embed"
    public static let abstract = "Map candidates into the fitted low-dimensional embedding."
    public static let discussion = """
        Takes candidates with their features and stamps, builds feature vectors and projects them into the \
        active embedding model. Writes: embeddings.
        """

    public static func run(options: RuntimeOptions, files: [String], document: ConfigDocument, logger: Logger) async throws {
        let worker = EmbedWorker(settings: try document.section(EmbedSettings.self, at: "embed"),
                                 models: try document.section(ModelSelection.self, at: "models"))
        try await StageRunner.run(worker: worker, options: options, document: document, logger: logger)
    }
}

public enum ScoreStage: StageIdentity {
    public static let commandName = "nocturne-score"
    public static let abstract = "Real/bogus confidence, type, and anomaly distance with severity."
    public static let discussion = """
        Takes embedded candidates. Scores real/bogus and type, and the anomaly distance against the baseline. \
        Writes: detections, anomalies, model_runs.
        """

    public static func run(options: RuntimeOptions, files: [String], document: ConfigDocument, logger: Logger) async throws {
        let worker = ScoreWorker(settings: try document.section(ScoreSettings.self, at: "score"),
                                 models: try document.section(ModelSelection.self, at: "models"))
        try await StageRunner.run(worker: worker, options: options, document: document, logger: logger)
    }
}

public enum AlertStage: StageIdentity {
    public static let commandName = "nocturne-alert"
    public static let abstract = "Evaluate alert rules; group, deduplicate, silence and fan out."
    public static let discussion = """
        Takes detections and anomalies. Evaluates the rules, groups and deduplicates, applies silences and \
        inhibition, and delivers to channels, tracking each delivery. Writes: alerts, alert_deliveries, audit_log.
        """

    public static func run(options: RuntimeOptions, files: [String], document: ConfigDocument, logger: Logger) async throws {
        let worker = AlertWorker(settings: try document.section(AlertSettings.self, at: "alert"))
        try await StageRunner.run(worker: worker, options: options, document: document, logger: logger) { configuration in
            AlertDispatch.loops(for: worker, configuration: configuration, logger: logger)
        }
    }
}
