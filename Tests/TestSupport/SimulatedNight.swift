import Foundation
import Simulation
import Synchronization

/// Small simulated nights for tests, written once per test process into a
/// temporary folder and shared: simulation is deterministic, so a night is a
/// pure function of its configuration.
public enum SimulatedNight {
    private static let cache = Mutex<[String: URL]>([:])

    /// The folder of a night with `fields` × `epochs` images of `size`²
    /// pixels, the given seed, and `configure` applied to the configuration.
    public static func folder(size: Int = 384, fields: Int = 1, epochs: Int = 2, seed: UInt64 = 11, label: String = "",
                              configure: (inout NightConfiguration) -> Void = { _ in }) throws -> URL {
        let key = "\(size)-\(fields)-\(epochs)-\(seed)-\(label)"
        if let url = cache.withLock({ $0[key] }) { return url }
        var configuration = NightConfiguration()
        configuration.width = size
        configuration.height = size
        configuration.fields = fields
        configuration.epochs = epochs
        configuration.seed = seed
        configure(&configuration)
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("nocturne-night-\(key)-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: url)
        try NightWriter(directory: url).write(try NightSimulator(configuration: configuration))
        cache.withLock { $0[key] = url }
        return url
    }
}
