import ArgumentParser
import Foundation

/// `nocturne label CANDIDATE LABEL`: an operator's verdict on a candidate,
/// kept in `validation_events` (and `audit_log`) for the next
/// `nocturne model fit real-bogus --with-labels`.
struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label a candidate: real, bogus, artifact, transient, variable, supernova_like or moving.")

    @Argument(help: "The candidate's id.") var candidate: String
    @Argument(help: "The label.") var label: String
    @Option(help: "Who says so.") var actor = ProcessInfo.processInfo.environment["USER"] ?? "operator"
    @Option(help: "Why, in a few words.") var note: String?

    func run() throws {
        guard let id = UUID(uuidString: candidate) else { throw CommandFailure("'\(candidate)' is not a candidate id") }
        guard OperatorLabels.meanings[label] != nil else {
            throw CommandFailure("unknown label '\(label)'; use one of \(OperatorLabels.meanings.keys.sorted().joined(separator: ", "))")
        }
        let store = try DatabaseContext.open(logger: CommandLogging.logger("nocturne.label")).store
        try store.labelCandidate(id, label: label, actor: actor, note: note)
        print("candidate \(candidate.lowercased()) labelled \(label) by \(actor)")
    }
}
