import Foundation
import Testing

@testable import Delivery

@Suite struct JSONLinesTests {
    struct Alert: Codable, Equatable {
        var id: String
        var severity: String
        var note: String
    }

    private func scratchDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("jsonl-\(UUID().uuidString)").path
    }

    private func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    }

    @Test func appendsLinesAndReadsBack() throws {
        let root = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = JSONLinesFile(path: root + "/a/b/alerts.jsonl", sync: true)
        let alerts = [
            Alert(id: "a1", severity: "high", note: "line one\nwith a break"),
            Alert(id: "a2", severity: "critical", note: "url http://x/y"),
        ]
        for alert in alerts { try file.append(alert) }
        try file.append(jsonObject: Data(#"{"id":"a3","severity":"low","note":""}"#.utf8))

        let read = try lines(file.path)
        #expect(read.count == 4)
        #expect(read.last == "")  // every line ends in a newline
        #expect(read[1] == #"{"id":"a2","note":"url http://x/y","severity":"critical"}"#)
        let decoded = try read.dropLast().map { try JSONDecoder().decode(Alert.self, from: Data($0.utf8)) }
        #expect(Array(decoded.prefix(2)) == alerts)
        #expect(decoded[2].id == "a3")
    }

    /// Lines longer than a pipe buffer, from many threads at once, each arrive whole.
    @Test func concurrentWritersNeverInterleave() throws {
        let root = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = JSONLinesFile(path: root + "/alerts.jsonl")
        let note = String(repeating: "x", count: 10_000)
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            for index in 0..<25 {
                try? file.append(Alert(id: "\(writer)-\(index)", severity: "high", note: note))
            }
        }
        let read = try lines(file.path).dropLast()
        #expect(read.count == 200)
        let ids = Set(try read.map { try JSONDecoder().decode(Alert.self, from: Data($0.utf8)).id })
        #expect(ids.count == 200)
    }

    @Test func refusesWhatIsNotOneObject() throws {
        let root = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = JSONLinesFile(path: root + "/x.jsonl")
        #expect(throws: JSONLinesError.self) { try file.append(jsonObject: Data("[1,2]".utf8)) }
        #expect(throws: JSONLinesError.self) { try file.append(jsonObject: Data("{\"a\":\n1}".utf8)) }
        #expect(throws: JSONLinesError.self) { try file.append([1, 2, 3]) }
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func errorsNameThePath() throws {
        let root = scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // A directory where the file should be: open(2) fails.
        let path = root + "/taken"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let error = #expect(throws: JSONLinesError.self) {
            try JSONLinesFile(path: path).append(Alert(id: "a", severity: "b", note: "c"))
        }
        #expect(error?.description.hasPrefix(path + ": cannot open") == true)
    }
}
