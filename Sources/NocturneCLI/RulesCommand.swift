import ArgumentParser
import Foundation
import Stages
import Store

/// `nocturne rules`: the alert rules in `config/rules/`.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Check, apply and list alert rules.", subcommands: [Apply.self, Check.self, List.self])

    /// `nocturne rules apply`.
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the rule files and load them into alert_rules; a running alert stage picks them up at its next item.")
        @Argument(help: "The rules folder (default: alert.rules_dir under the config folder).") var directory: String?
        @Option(help: "Who applies them, for audit_log.") var by = ProcessInfo.processInfo.environment["USER"] ?? "operator"
        @OptionGroup var options: ConfigOptions

        func run() throws {
            let folder = try RulesCommand.folder(directory, options: options)
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.rules")).store
            let report = try RuleFiles.apply(folder, store: store, actor: by)
            var table = TextTable(["RULE", "CHANGE"])
            for (name, change) in report.changes {
                switch change {
                case .unchanged(let v): table.add([name, "unchanged (v\(v))"])
                case .created(let v): table.add([name, "created v\(v)"])
                case .updated(let v): table.add([name, "updated to v\(v)"])
                case .disabled(let v): table.add([name, "disabled (was v\(v))"])
                }
            }
            print(table.render())
        }
    }

    /// `nocturne rules check`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the rule files without touching the database.")
        @Argument(help: "The rules folder.") var directory: String?
        @OptionGroup var options: ConfigOptions

        func run() throws {
            let rules = try RuleFiles.load(try RulesCommand.folder(directory, options: options))
            print("\(rules.count) rule(s) valid: \(rules.map(\.name).joined(separator: ", "))")
        }
    }

    /// `nocturne rules list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The active rules and their versions, or a run's own.")
        @Option(name: .customLong("run"), help: "A run whose own rules to list (a replay given --rules); it falls back to the active ones.")
        var runID: String?

        func run() throws {
            let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.rules")).store
            var table = TextTable(["RULE", "VERSION", "SEVERITY", "SOURCE", "DESCRIPTION"])
            var rows = try store.activeRules()
            if let runID {
                guard let id = UUID(uuidString: runID) else { throw CommandFailure("--run: not a run id: \(runID)") }
                let own = try store.runRules(id)
                if !own.isEmpty { rows = own } else { print("run \(runID) uses the active rules") }
            }
            for r in rows {
                table.add([r.name, "\(r.version)", r.severity, r.source ?? "", r.description ?? ""])
            }
            print(table.render())
        }
    }

    static func folder(_ directory: String?, options: ConfigOptions) throws -> URL {
        if let directory { return URL(fileURLWithPath: directory, isDirectory: true) }
        return try RuleFiles.directory(try options.document().section(AlertSettings.self, at: "alert"))
    }
}
