import Checksum
import Envelopes
import FITS
import Foundation
import Observations
import StageRuntime
import Store

extension IngestWorker {
    /// Reads one ready file into a registration (and a message), or a
    /// quarantine with the reason.
    func ingest(_ url: URL, context: WorkContext) throws -> SourceResult {
        let landedAt = landedDate(url)
        let read: (observation: Observation, pixels: Image<Float>, header: FITSHeader)
        do {
            read = try ObservationReader.readWithPixels(url, settings: settings)
        } catch {
            return try quarantined(url, reason: "\(error)", context: context)
        }
        var observation = read.observation
        // A reference read earlier in this poll is not committed yet: remember it here.
        let fieldKey = [observation.survey, observation.field ?? "", observation.filter ?? ""].joined(separator: "|")
        if observation.role == .science, settings.referencePolicy == .firstExposure,
           !referenceSeen(fieldKey),
           try !context.store.hasReference(survey: observation.survey, field: observation.field, filter: observation.filter) {
            observation.role = .reference
            context.logger.info("\(url.lastPathComponent) is the first exposure of field \(observation.field ?? "?") (\(observation.filter ?? "no filter")) and becomes its reference")
        }
        let runID = self.runID, reference = observation
        let pixels = read.pixels, headerText = read.header.rawCards
        if observation.role == .reference {
            markReferenceSeen(fieldKey)
            return SourceResult(observationID: nil, result: WorkResult(persist: { store in
                let id = try store.register(reference, runID: runID).observationID
                let data = pixels.pixels.withUnsafeBufferPointer { Data(buffer: $0) }
                try store.saveReferenceImage(observationID: id, width: pixels.width, height: pixels.height,
                                             pixels: data, header: headerText)
            }, downstream: [], counts: ["references": 1]))
        }
        // The observation id is only known once registered; the message is
        // built for it in advance with a fresh trace and completed here.
        let outcome = try context.store.register(observation, runID: runID)
        let id = outcome.observationID
        var envelope = Envelope(kind: .ingested, runID: runID, traceID: UUID(), observationID: id,
                                payload: Self.payload(observation), frames: [.image("science", pixels), .text("header", headerText)])
        envelope.stamp("ingest", .landed, at: landedAt)
        return SourceResult(observationID: id, result: WorkResult(persist: { store in
            try store.registerProgress(runID: runID, observationID: id, landedAt: landedAt)
        }, downstream: [envelope], counts: ["observations": 1]))
    }

    private func landedDate(_ url: URL) -> Date { landedAt(url) }

    static func payload(_ o: Observation) -> Data {
        let object: [String: Any] = [
            "field": o.field ?? NSNull(), "filter": o.filter ?? NSNull(), "file": o.filePath,
            "date_obs": ObservationTime.iso8601(o.dateObs), "exptime": o.exptime, "role": o.role.rawValue,
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    /// Moves a bad file to the quarantine folder with a `.reason` file beside
    /// it, and records the refusal.
    func quarantined(_ url: URL, reason: String, context: WorkContext) throws -> SourceResult {
        context.logger.warning("quarantining \(url.path): \(reason)")
        let fingerprint = try? FileChecksum.sha256(of: url)
        let folder = quarantine(for: url)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var target = folder.appendingPathComponent(url.lastPathComponent)
        var n = 1
        while FileManager.default.fileExists(atPath: target.path) {
            target = folder.appendingPathComponent("\(n)-\(url.lastPathComponent)")
            n += 1
        }
        try FileManager.default.moveItem(at: url, to: target)
        try Data((reason + "\n").utf8).write(to: target.appendingPathExtension("reason"))
        let runID = self.runID, original = url.path, moved = target.path
        return SourceResult(observationID: nil, result: WorkResult(persist: { store in
            try store.recordRefusedFile(path: original, size: fingerprint?.size ?? 0,
                                        sha256: fingerprint?.sha256 ?? SHA256.hex(Array(original.utf8)),
                                        reason: reason, runID: runID, quarantinePath: moved)
        }, downstream: [], counts: ["quarantined": 1]))
    }
}
