import ArgumentParser
import Configuration
import Foundation
import StageRuntime
import Testing

/// The stage command line and the `runtime:` config section.
@Suite struct RuntimeOptionsTests {
    static let environment = ["NOCTURNE_DATABASE_URL": "postgresql://nocturne@db1/nocturne"]

    private func configuration(_ arguments: [String], environment: [String: String] = environment) throws
        -> RuntimeConfiguration
    {
        let options = try RuntimeOptions.parse(["--run-id", UUID().uuidString] + arguments)
        return try options.configuration(stage: "toy", document: try options.configDocument(), environment: environment)
    }

    @Test func parsesEveryOption() throws {
        let run = UUID()
        let options = try RuntimeOptions.parse([
            "--run-id", run.uuidString, "--instance", "toy-2", "--input", "tcp://*:5611",
            "--output", "tcp://127.0.0.1:5621", "--output", "tcp://10.0.0.7:5621", "--publish", "tcp://*:5700",
            "--metrics-port", "0", "--archive", "/srv/archive", "--watch", "/srv/incoming",
            "--set", "runtime.attempts=5", "--set", "runtime.lease_seconds=60",
        ])
        let configuration = try options.configuration(
            stage: "toy", document: try options.configDocument(), environment: Self.environment)
        #expect(configuration.stage == "toy" && configuration.instance == "toy-2" && configuration.runID == run)
        #expect(configuration.input == "tcp://*:5611")
        #expect(configuration.outputs == ["tcp://127.0.0.1:5621", "tcp://10.0.0.7:5621"])
        #expect(configuration.publish == "tcp://*:5700")
        #expect(configuration.metricsPort == 0)
        #expect(configuration.archive.path == "/srv/archive" && configuration.watch?.path == "/srv/incoming")
        #expect(configuration.databaseURL == "postgresql://nocturne@db1/nocturne")
        #expect(configuration.maxAttempts == 5 && configuration.leaseDuration == .seconds(60))
    }

    /// `config/nocturne.yaml` has a `runtime:` section, and it holds the
    /// documented defaults, the same as the code's.
    @Test func theShippedConfigurationHoldsTheDefaults() throws {
        let document = try RuntimeOptions.parse(["--run-id", UUID().uuidString]).configDocument()
        #expect(document.lookup(RuntimeSettings.section) != nil)
        #expect(try document.section(RuntimeSettings.self, at: RuntimeSettings.section) == RuntimeSettings())
        let configuration = try configuration([])
        let defaults = RuntimeConfiguration(stage: "toy", runID: configuration.runID, databaseURL: "x")
        #expect(configuration.instance == "toy-1" && configuration.metricsPort == nil && configuration.input == nil)
        #expect(configuration.leaseDuration == defaults.leaseDuration && configuration.leaseDuration == .seconds(300))
        #expect(configuration.rescanInterval == defaults.rescanInterval)
        #expect(configuration.maxAttempts == defaults.maxAttempts)
        #expect(configuration.retryBackoff == defaults.retryBackoff)
        #expect(configuration.maximumBackoff == defaults.maximumBackoff)
        #expect(configuration.pollTimeout == defaults.pollTimeout)
        #expect(configuration.highWaterMark == defaults.highWaterMark)
        #expect(configuration.sendTimeout == defaults.sendTimeout)
    }

    @Test func aConfigFileOverlaysTheRuntimeSection() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("runtime-\(UUID()).yaml")
        try "runtime:\n  rescan_seconds: 0.5\n  poll_milliseconds: 40\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try configuration(["--config", file.path, "--set", "runtime.poll_milliseconds=60"])
        #expect(configuration.rescanInterval == .milliseconds(500))
        #expect(configuration.pollTimeout == .milliseconds(60))  // --set comes last
    }

    @Test(arguments: [[String: String](), ["NOCTURNE_DATABASE_URL": "  "]])
    func aMissingDatabaseURLIsNamed(environment: [String: String]) throws {
        let error = #expect(throws: RuntimeError.self) { try configuration([], environment: environment) }
        #expect(error?.option == "NOCTURNE_DATABASE_URL")
        #expect(error?.isConfigurationProblem == true)
        #expect(error?.description.contains("NOCTURNE_DATABASE_URL") == true)
    }

    @Test func aSetWithoutAValueIsRefused() throws {
        let error = #expect(throws: (any Error).self) {
            try RuntimeOptions.parse(["--run-id", UUID().uuidString, "--set", "runtime.attempts"])
        }
        #expect(error.map { RuntimeOptions.message(for: $0) }?.contains("--set") == true)
        #expect(throws: (any Error).self) { try RuntimeOptions.parse(["--run-id", "not-a-uuid"]) }
        #expect(throws: (any Error).self) { try RuntimeOptions.parse([]) }  // --run-id is required
    }

    @Test(arguments: [
        ("runtime.attempts=0", "runtime.attempts"),
        ("runtime.lease_seconds=-1", "runtime.lease_seconds"),
        ("runtime.rescan_seconds=0", "runtime.rescan_seconds"),
        ("runtime.atempts=5", "runtime.atempts"),
        ("runtime.poll_milliseconds=fast", "runtime.poll_milliseconds"),
        ("runtime.maximum_backoff_seconds=0.5", "runtime.maximum_backoff_seconds"),
        ("runtime.high_water_mark=0", "runtime.high_water_mark"),
        ("runtime.send_timeout_seconds=-2", "runtime.send_timeout_seconds"),
    ])
    func runtimeSectionErrorsNameTheKey(setting: String, key: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try configuration(["--set", setting]) }
        #expect(error?.key == key)
        #expect(error?.description.contains(key) == true)
    }

    @Test(arguments: [
        (["--metrics-port", "70000"], "--metrics-port"),
        (["--input", "localhost:5611"], "--input"),
        (["--output", "tcp://10.0.0.7"], "--output"),
        (["--publish", "udp://x:1"], "--publish"),
        (["--instance", "toy 2"], "--instance"),
    ])
    func badOptionsAreNamed(arguments: [String], option: String) throws {
        let error = #expect(throws: RuntimeError.self) { try configuration(arguments) }
        #expect(error?.option == option)
        #expect(error?.description.hasPrefix(option) == true)
    }
}
