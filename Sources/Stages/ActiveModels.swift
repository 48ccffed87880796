import Foundation
import Logging
import Scoring
import Store
import Synchronization

/// A decoded model from the registry with its identity.
public struct LoadedModel<Model: Sendable>: Sendable {
    public var id: UUID
    public var name: String
    public var version: Int
    public var model: Model

    /// "name vN", as anomalies' `model_versions` name it.
    public var label: String { "\(name) v\(version)" }
}

/// The active model of one kind, decoded once per model: each item asks
/// the database only which model is active (one activated meanwhile is
/// picked up at the next item), and the artifact is read and decoded only
/// when that changes. With a pinned model (the `models:` section) it is
/// that one, whatever is active.
public final class ActiveModelCache<Model: Decodable & Sendable>: Sendable {
    /// `models.kind`.
    public let kind: String
    /// The model to use instead of the active one, and the config key that
    /// named it (for errors).
    public let pinned: (id: UUID, key: String)?
    private let loaded = Mutex<LoadedModel<Model>?>(nil)

    /// A cache for `kind`; `pinned` names a model to use instead of the
    /// active one.
    public init(kind: String, pinned: (id: UUID, key: String)? = nil) {
        self.kind = kind
        self.pinned = pinned
    }

    /// The pinned model, else the active one; nil when none of this kind is
    /// active.
    /// - Throws: ``StageError`` naming the config key when the pinned model
    ///   does not exist or is of another kind.
    public func active(store: PipelineStore, logger: Logger) throws -> LoadedModel<Model>? {
        if let pinned { return try pinnedModel(pinned, store: store, logger: logger) }
        guard let id = try store.activeModelID(kind: kind) else { return nil }
        if let model = loaded.withLock({ $0 }), model.id == id { return model }
        guard let record = try store.activeModel(kind: kind) else { return nil }
        let model = try Self.decode(record)
        logger.info("\(kind) model \(model.label) is active")
        loaded.withLock { $0 = model }
        return model
    }

    private func pinnedModel(_ pinned: (id: UUID, key: String), store: PipelineStore,
                             logger: Logger) throws -> LoadedModel<Model> {
        if let model = loaded.withLock({ $0 }) { return model }
        let id = pinned.id.uuidString.lowercased()
        guard let record = try store.model(id: pinned.id) else {
            throw StageError("\(pinned.key): no model \(id) in the registry (see nocturne model list)")
        }
        guard record.kind == kind else {
            throw StageError("\(pinned.key): model \(id) is a \(record.kind) model, not \(kind)")
        }
        let model = try Self.decode(record)
        logger.info("\(kind) model \(model.label) chosen by \(pinned.key)")
        loaded.withLock { $0 = model }
        return model
    }

    /// Decodes a registry row's artifact.
    public static func decode(_ record: ModelRecord) throws -> LoadedModel<Model> {
        do {
            return LoadedModel(id: record.id, name: record.name, version: record.version,
                               model: try JSONDecoder().decode(Model.self, from: record.artifact))
        } catch {
            throw StageError("the \(record.kind) model \(record.name) v\(record.version) cannot be read: \(error)")
        }
    }
}

extension CandidateInput {
    /// The input of a stored candidate (its difference stamp must have been
    /// selected; without one the stamp is empty and its features zero).
    public init(_ r: CandidateRecord) {
        let extra = JSONText.decode(r.features)
        func number(_ key: String) -> Double { extra.optionalDouble(key) ?? .nan }
        let side = r.stampDifference.isEmpty ? 0 : r.stampSize
        let pixels: [Float] = r.stampDifference.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        self.init(snr: r.snr, fwhmRatio: number("fwhm_ratio"), elong: r.elongation ?? .nan, nneg: r.nneg, nbad: r.nbad,
                  sumrat: r.sumrat ?? .nan, magdiff: r.magdiff ?? .nan, scorr: r.scorr, dipole: r.dipole ?? .nan,
                  distnr: r.distnr ?? .nan, magnr: r.magnr ?? .nan, sizenr: number("sizenr"),
                  edgeDistance: number("edge_distance"), aimagerat: number("aimagerat"), bimagerat: number("bimagerat"),
                  isPositive: r.isPositive, flags: r.flags, stamp: pixels.count == side * side ? pixels : [],
                  stampSide: pixels.count == side * side ? side : 0)
    }
}
