import Foundation
import Pipelines
import Testing

/// Every definition shipped in `pipelines/` must load: a file that does not
/// validate, or a stage waiting for a status nothing produces, fails here
/// rather than at a night's start.
@Suite struct PipelineFilesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("pipelines", isDirectory: true)

    static var files: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { folder.appendingPathComponent($0) }
    }

    @Test func theFolderHoldsTheExamples() {
        let names = Self.files.map(\.lastPathComponent)
        #expect(names.contains("local.yaml"))
        #expect(names.contains("multi-host.yaml"))
    }

    @Test(arguments: files)
    func everyFileLoadsAndEveryConsumerHasAProducer(file: URL) throws {
        let definition = try PipelineLoader.load(file: file)
        let produced = Set(definition.stages.map(\.kind.outputStatus))
        for group in definition.stages {
            if let input = group.kind.inputStatus {
                #expect(produced.contains(input), "\(file.lastPathComponent): \(group.kind) has no producer")
            }
        }
        // Every host of the file expands, and every instance has a unique name.
        var names: [String] = []
        for host in definition.hosts {
            let context = LaunchContext(
                runID: UUID(), host: host.name,
                configDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("nocturne-test-config"))
            names += try definition.launches(context).map(\.instance)
        }
        #expect(Set(names).count == names.count)
        #expect(names.count == definition.stages.reduce(0) { $0 + $1.instances })
    }

    @Test func localRunsTheWholeChainOnLoopback() throws {
        let definition = try PipelineLoader.load(file: Self.folder.appendingPathComponent("local.yaml"))
        #expect(definition.kinds == StageKind.allCases)
        #expect(definition.hosts == [Host(name: "local", address: "127.0.0.1")])
        #expect(definition.stages.first { $0.kind == .preprocess }?.instances == 2)
        #expect(definition.stages.first { $0.kind == .difference }?.instances == 2)
        #expect(definition.terminalStatuses == ["alerted", "failed"])
    }
}
