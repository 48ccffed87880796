import ArgumentParser
import Configuration
import Foundation

/// `--config FILE` and `--set key=value`, shared by every command that reads
/// configuration: the defaults in `config/nocturne.yaml` come first, then
/// each file, then each `--set`.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "A YAML file overlaid on config/nocturne.yaml (repeatable).")
    var config: [String] = []

    @Option(name: .customLong("set"), help: "Override one key, e.g. --set ingest.role=reference (repeatable).")
    var overrides: [String] = []

    /// The merged configuration. Errors name the key or file at fault.
    ///
    /// - Parameter overlays: YAML texts (with the source named in errors)
    ///   applied after the defaults and before `--config`, as a pipeline's
    ///   `config:` block is.
    func document(overlays: [(yaml: String, source: String)] = []) throws -> ConfigDocument {
        var document = ConfigDocument()
        let defaults = try ResourceLocator.configDirectory().appendingPathComponent("nocturne.yaml")
        if FileManager.default.fileExists(atPath: defaults.path) { try document.overlay(file: defaults) }
        for overlay in overlays { try document.overlay(yaml: overlay.yaml, source: overlay.source) }
        for file in config { try document.overlay(file: URL(fileURLWithPath: file)) }
        for item in overrides {
            guard let equals = item.firstIndex(of: "=") else {
                throw ValidationError("--set needs key=value, got '\(item)'")
            }
            try document.set(String(item[..<equals]), to: String(item[item.index(after: equals)...]))
        }
        return document
    }
}
