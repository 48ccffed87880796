import Foundation
import Store

/// The tables `nocturne run --until-idle` prints at the end: the run's
/// products per field, and the items that failed with their errors.
enum RunSummary {
    static func render(store: PipelineStore, runID: UUID) throws -> String {
        let fields = try store.fieldSummaries(runID: runID)
        var table = TextTable(["FIELD", "OBSERVATIONS", "CANDIDATES", "DETECTIONS", "ANOMALIES", "ALERTS"])
        for field in fields {
            table.add([field.field] + [field.observations, field.candidates, field.detections, field.anomalies,
                                       field.alerts].map(String.init))
        }
        if fields.count > 1 {
            let sum = { (value: (FieldSummary) -> Int) in String(fields.map(value).reduce(0, +)) }
            table.add(["all", sum(\.observations), sum(\.candidates), sum(\.detections), sum(\.anomalies), sum(\.alerts)])
        }
        var text = table.render()
        let failed = try store.failedItems(runID: runID)
        guard !failed.isEmpty else { return text + "\n\nno failed items" }
        var failures = TextTable(["FAILED FILE", "STAGE", "ERROR"])
        for item in failed {
            let error = (item.error ?? "-").replacingOccurrences(of: "\n", with: " ")
            failures.add([URL(fileURLWithPath: item.filePath).lastPathComponent, item.stage ?? "-", error])
        }
        text += "\n\n\(failed.count) failed item(s)\n" + failures.render()
        return text
    }
}
