import Differencing
import FITS
import Foundation
import Store
import Synchronization

/// Prepared references, once per process: preparing a 2048² reference takes
/// ~0.7 s, and every exposure of a field uses the same one. References are
/// read from the database (`reference_images`), so any host can prepare them.
final class ReferenceCache: Sendable {
    private let cache = Mutex<[UUID: PreparedReference]>([:])
    let pipeline: DifferencePipeline

    init(pipeline: DifferencePipeline) {
        self.pipeline = pipeline
    }

    /// The prepared reference `id`, loading and preparing it on first use.
    func reference(_ id: UUID, store: PipelineStore) throws -> PreparedReference {
        if let cached = cache.withLock({ $0[id] }) { return cached }
        guard let stored = try store.referenceImage(id) else {
            throw StageError("reference \(id) has no pixels in reference_images")
        }
        let exposure = try Self.exposure(stored)
        let prepared = try pipeline.prepareReference(exposure)
        cache.withLock { $0[id] = prepared }
        return prepared
    }

    static func exposure(_ stored: ReferenceImage) throws -> Exposure {
        let header = try FITSHeader(parsing: stored.header, file: stored.filePath)
        let pixels = [Float](unsafeUninitializedCapacity: stored.width * stored.height) { buffer, count in
            _ = stored.pixels.copyBytes(to: buffer)
            count = stored.width * stored.height
        }
        return try Exposure(name: stored.filePath, pixels: Image(width: stored.width, height: stored.height, pixels: pixels),
                            header: header)
    }
}

/// A stage's own failure, with a message for the item's error column.
struct StageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
