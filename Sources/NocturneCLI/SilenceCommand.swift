import ArgumentParser
import Foundation
import Store

/// `nocturne silence`: hold back matching alerts from the channels for a while.
struct SilenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence", abstract: "Create, list and expire silences.", subcommands: [Add.self, List.self, Expire.self])

    /// `nocturne silence add`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Silence alerts matching every --match (and inside --cone) until --until, for --for, or until an alert resolves.")
        @Option(help: "FIELD=VALUE, FIELD!=VALUE or FIELD=~REGEX over rule, severity, type, field, filter, survey (repeatable).")
        var match: [String] = []
        @Option(help: "RA,DEC,RADIUS_ARCSEC: only alerts inside this cone.") var cone: String?
        @Option(help: "End time, ISO 8601 (2026-12-07T06:00:00Z).") var until: String?
        @Option(name: .customLong("for"), help: "Duration: 30m, 2h, 90s.") var duration: String?
        @Option(name: .customLong("until-resolved"), help: "An alert id: the silence ends when that alert resolves.")
        var untilResolved: String?
        @Option(help: "Who silences.") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @Option(help: "Why.") var comment = ""

        func run() throws {
            let matchers = try match.map(Self.matcher)
            let region = try cone.map(Self.region)
            var endsAt: Date?
            if let until {
                guard let date = ISO8601DateFormatter().date(from: until) else { throw CommandFailure("--until: '\(until)' is not ISO 8601") }
                endsAt = date
            }
            if let duration {
                guard let seconds = Self.seconds(duration), seconds > 0 else { throw CommandFailure("--for: '\(duration)' is not a duration like 30m") }
                endsAt = Date().addingTimeInterval(seconds)
            }
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.silence")).store
            var alertID: UUID?
            if let untilResolved {
                guard let alert = try store.alert(untilResolved) else { throw CommandFailure("--until-resolved: no alert '\(untilResolved)'") }
                alertID = alert.id
            }
            guard endsAt != nil || alertID != nil else { throw CommandFailure("a silence needs --until, --for or --until-resolved") }
            guard !matchers.isEmpty || region != nil || alertID != nil else {
                throw CommandFailure("a silence needs at least one --match or a --cone (it would silence everything)")
            }
            let data = try JSONSerialization.data(withJSONObject: matchers, options: [.sortedKeys])
            let id = try store.addSilence(matchers: String(decoding: data, as: UTF8.self), region: region, endsAt: endsAt,
                                          untilAlertID: alertID, createdBy: by, comment: comment)
            print("silence \(id.uuidString.lowercased()) created")
        }

        static let fields: Set = ["rule", "severity", "type", "field", "filter", "survey", "kind"]

        static func matcher(_ text: String) throws -> [String: String] {
            for op in ["=~", "!=", "="] {
                if let range = text.range(of: op) {
                    let field = String(text[..<range.lowerBound]), value = String(text[range.upperBound...])
                    guard fields.contains(field) else {
                        throw CommandFailure("--match '\(text)': unknown field '\(field)'; use one of \(fields.sorted().joined(separator: ", "))")
                    }
                    if op == "=~", (try? NSRegularExpression(pattern: value)) == nil {
                        throw CommandFailure("--match '\(text)': '\(value)' is not a regular expression")
                    }
                    return ["field": field, "op": op, "value": value]
                }
            }
            throw CommandFailure("--match '\(text)' is not FIELD=VALUE, FIELD!=VALUE or FIELD=~REGEX")
        }

        static func region(_ text: String) throws -> String {
            let p = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard p.count == 3, (0..<360).contains(p[0]), (-90...90).contains(p[1]), p[2] > 0, p[2] <= 648_000 else {
                throw CommandFailure("--cone '\(text)': need RA,DEC,RADIUS_ARCSEC with RA in [0, 360), Dec in [-90, 90], 0 < radius ≤ 180°")
            }
            return "{\"dec\": \(p[1]), \"ra\": \(p[0]), \"radius_arcsec\": \(p[2])}"
        }

        static func seconds(_ text: String) -> Double? {
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
            guard let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()) else { return Double(text) }
            return value * scale
        }
    }

    /// `nocturne silence list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The silences that hold now.")
        func run() throws {
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.silence")).store
            var table = TextTable(["ID", "MATCHERS", "REGION", "ENDS", "BY", "COMMENT"])
            for s in try store.liveSilences() {
                let ends = s.endsAt.map { ISO8601DateFormatter().string(from: $0) }
                    ?? "when \(s.untilAlertID?.uuidString.lowercased().prefix(8) ?? "?") resolves"
                table.add([String(s.id.uuidString.lowercased().prefix(8)), s.matchers, s.region ?? "", ends, s.createdBy, s.comment])
            }
            print(table.render())
        }
    }

    /// `nocturne silence expire ID`.
    struct Expire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a silence now.")
        @Argument var id: String
        @Option(help: "Who ends it.") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        func run() throws {
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.silence")).store
            let live = try store.liveSilences().filter { $0.id.uuidString.lowercased().hasPrefix(id.lowercased()) }
            guard live.count == 1 else { throw CommandFailure(live.isEmpty ? "no live silence '\(id)'" : "'\(id)' names more than one silence") }
            try store.expireSilence(live[0].id, by: by)
            print("silence \(live[0].id.uuidString.lowercased()) expired")
        }
    }
}
