import ArgumentParser
import Foundation
import Testing
@testable import NocturneCLI

@Suite struct SimulateCommandTests {
    static func scratch(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func simulateWritesTheNightInProcess() throws {
        let directory = try Self.scratch("cli-simulate")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("night").path
        var command = try NocturneCommand.parseAsRoot([
            "simulate", "--out", out, "--size", "96", "--fields", "2", "--epochs", "2", "--seed", "5",
            "--reference-exposures", "1",
        ])
        try command.run()
        let manager = FileManager.default
        for file in ["truth.csv", "sources.csv", "night.json", "science/NOC-F00-E00.fits", "science/NOC-F01-E01.fits",
                     "reference/NOC-F00-REF.fits", "reference/NOC-F01-REF01.fits"] {
            #expect(manager.fileExists(atPath: "\(out)/\(file)"), "missing \(file)")
        }
        let night = try String(contentsOfFile: "\(out)/night.json", encoding: .utf8)
        #expect(night.contains("\"seed\" : 5"))
    }

    @Test func configFileSectionIsReadAndOptionsWin() throws {
        let directory = try Self.scratch("cli-simulate-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("night.yaml")
        try "simulate:\n  seed: 9\n  epochs: 3\n  conditions:\n    fwhm: [2.0, 2.5]\n".write(to: config, atomically: true, encoding: .utf8)
        let command = try #require(try NocturneCommand.parseAsRoot([
            "simulate", "--out", directory.path, "--config", config.path, "--epochs", "1",
        ]) as? SimulateCommand)
        let night = try command.configurationFromOptions()
        #expect(night.seed == 9 && night.epochs == 1)
        #expect(night.conditions.fwhm.lower == 2 && night.conditions.fwhm.upper == 2.5)
    }

    @Test(arguments: [
        (["--size", "10"], "--size"),
        (["--fields", "0"], "--fields"),
    ])
    func badOptionIsRefusedByName(arguments: [String], option: String) throws {
        let command = try #require(try NocturneCommand.parseAsRoot(["simulate", "--out", "/tmp/unused"] + arguments)
            as? SimulateCommand)
        do {
            _ = try command.configurationFromOptions()
            Issue.record("\(arguments) was accepted")
        } catch let error as ValidationError {
            #expect(error.message.contains(option), "\(error.message)")
        }
    }

    @Test func misspeltConfigKeyIsNamed() throws {
        let directory = try Self.scratch("cli-simulate-badkey")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("night.yaml")
        try "simulate:\n  conditions:\n    fwhm_px: [2, 3]\n".write(to: config, atomically: true, encoding: .utf8)
        let command = try #require(try NocturneCommand.parseAsRoot(["simulate", "--out", directory.path, "--config", config.path])
            as? SimulateCommand)
        #expect(throws: ValidationError.self) { _ = try command.configurationFromOptions() }
        do {
            _ = try command.configurationFromOptions()
        } catch let error as ValidationError {
            #expect(error.message.contains("simulate.conditions.fwhm_px"), "\(error.message)")
        }
    }

    @Test func unwritableOutputFails() throws {
        let directory = try Self.scratch("cli-simulate-unwritable")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        var command = try NocturneCommand.parseAsRoot(["simulate", "--out", file.path, "--size", "64", "--fields", "1",
                                                       "--epochs", "1"])
        #expect(throws: SimulateFailure.self) { try command.run() }
    }
}
