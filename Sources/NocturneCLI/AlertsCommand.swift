import ArgumentParser
import Envelopes
import Foundation
import Messaging
import StageRuntime
import Store

/// `nocturne alerts`: what operators live in during a night.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "List, show, acknowledge, resolve and follow alerts.",
        subcommands: [List.self, Show.self, Ack.self, Resolve.self, Tail.self])

    /// `nocturne alerts list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Alerts, newest first, by night, rule, state or sky region.")

        @Option(help: "The evening's UTC date, YYYY-MM-DD.") var night: String?
        @Option(help: "A rule's name.") var rule: String?
        @Option(help: "active, acknowledged, resolved or expired.") var state: String?
        @Option(name: .customLong("run"), help: "A run's id.") var runFilter: String?
        @Option(help: "A cone: RA,DEC,RADIUS_ARCSEC in degrees and arcseconds.") var cone: String?
        @Option var limit = 50

        func run() throws {
            var filter = AlertFilter()
            filter.night = night
            filter.rule = rule
            filter.state = state
            filter.limit = limit
            if let runFilter {
                guard let id = UUID(uuidString: runFilter) else { throw CommandFailure("--run: '\(runFilter)' is not a run id") }
                filter.runID = id
            }
            if let cone {
                let parts = cone.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 3, (0..<360).contains(parts[0]), (-90...90).contains(parts[1]), parts[2] > 0 else {
                    throw CommandFailure("--cone: '\(cone)' is not RA,DEC,RADIUS_ARCSEC with RA in [0, 360), Dec in [-90, 90], radius > 0")
                }
                filter.cone = (parts[0], parts[1], parts[2])
            }
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.alerts")).store
            var table = TextTable(["ID", "SEVERITY", "STATE", "RULE", "COUNT", "LAST SEEN", "TITLE"])
            for a in try store.alerts(filter) {
                let state = a.suppression.map { "\(a.state) (\($0))" } ?? a.state
                table.add([String(a.id.uuidString.lowercased().prefix(8)), a.severity, state, "\(a.rule) v\(a.ruleVersion)",
                           "\(a.count)", ISO8601DateFormatter().string(from: a.lastSeen), a.title])
            }
            print(table.render())
        }
    }

    /// `nocturne alerts show ID`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One alert: its lifecycle and its whole payload.")
        @Argument(help: "The alert's id or a unique prefix of it.") var id: String

        func run() throws {
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.alerts")).store
            guard let a = try store.alert(id) else { throw CommandFailure("no alert '\(id)'") }
            print("alert \(a.id.uuidString.lowercased())  \(a.severity)  \(a.state)\(a.suppression.map { " (\($0))" } ?? "")")
            print("rule \(a.rule) v\(a.ruleVersion); seen \(a.count)× from \(a.firstSeen) to \(a.lastSeen)")
            if let by = a.acknowledgedBy { print("acknowledged by \(by)\(a.ackNote.map { ": \($0)" } ?? "")") }
            if let by = a.resolvedBy { print("resolved by \(by)") }
            let object = try? ExactJSON.object(from: a.payload)
            let pretty = object.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.prettyPrinted, .sortedKeys]) }
            print(pretty.map { String(decoding: $0, as: UTF8.self) } ?? a.payload)
        }
    }

    /// `nocturne alerts ack ID`.
    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Acknowledge an alert (active → acknowledged).")
        @Argument(help: "The alert's id or a unique prefix of it.") var id: String
        @Option(help: "Who acknowledges.") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @Option(help: "Why, or what is being done.") var note: String?

        func run() throws {
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.alerts")).store
            guard let a = try store.alert(id) else { throw CommandFailure("no alert '\(id)'") }
            try store.acknowledgeAlert(a.id, by: by, note: note)
            print("alert \(a.id.uuidString.lowercased()) acknowledged by \(by)")
        }
    }

    /// `nocturne alerts resolve ID`.
    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve an alert; silences tied to it end.")
        @Argument(help: "The alert's id or a unique prefix of it.") var id: String
        @Option(help: "Who resolves.") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @Option(help: "How it ended.") var note: String?

        func run() throws {
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.alerts")).store
            guard let a = try store.alert(id) else { throw CommandFailure("no alert '\(id)'") }
            try store.resolveAlert(a.id, by: by, note: note)
            print("alert \(a.id.uuidString.lowercased()) resolved by \(by)")
        }
    }

    /// `nocturne alerts tail`.
    struct Tail: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe to the alert stage's PUB socket and print alerts as they come (in colour on a terminal).")
        @Option(help: "The alert stage's PUB endpoint.") var endpoint = "tcp://127.0.0.1:5670"
        @Option(help: "Topic prefix: alert., alert.critical., alert.high.<rule> …") var topic = "alert."
        @Option(help: "Stop after this many alerts (default: never).") var count: Int?
        @Flag(help: "One JSON object per line instead of a summary.") var json = false

        func run() throws {
            let context = try ZMQContext()
            let socket = try ZMQSocket(.sub, context: context)
            try socket.subscribe(topic)
            try socket.setReceiveTimeout(.milliseconds(500))
            try socket.connect(endpoint)
            let colour = isatty(STDOUT_FILENO) == 1
            var seen = 0
            FileHandle.standardError.write(Data("listening on \(endpoint) for \(topic)*\n".utf8))
            while count.map({ seen < $0 }) ?? true {
                guard let frames = try socket.receive() else { continue }
                let publication = try Publication.decode(frames.map(\.data))
                let text = String(decoding: publication.envelope.payload, as: UTF8.self)
                print(json ? text : AlertLine.render(topic: publication.topic, payload: text, colour: colour))
                fflush(nil)
                seen += 1
            }
        }
    }
}

/// One alert as a terminal line.
enum AlertLine {
    static func render(topic: String, payload: String, colour: Bool) -> String {
        let a = ExactJSON.dictionary(from: payload) ?? [:]
        let severity = a["severity"] as? String ?? "?"
        let codes = ["critical": "1;35", "high": "1;31", "medium": "33", "low": "36"]
        let tag = colour ? "\u{1B}[\(codes[severity] ?? "0")m\(severity.uppercased())\u{1B}[0m" : severity.uppercased()
        let rule = (a["rule"] as? [String: Any])?["name"] as? String ?? topic
        let position = String(format: "%.5f %+.5f", a["ra"] as? Double ?? .nan, a["dec"] as? Double ?? .nan)
        let id = String((a["alert_id"] as? String ?? "").prefix(8))
        return "\(tag) \(id) \(rule) \(a["type"] as? String ?? "-") at \(position) in \(a["field"] as? String ?? "?")"
            + " score \(String(format: "%.2f", a["score"] as? Double ?? .nan))"
    }
}
