import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension StageGroup {
    /// Every TCP port this group's processes bind, each with the key that
    /// names it (`stages[2].input_port (instance 1)`).
    public var portUses: [(key: String, port: Int)] {
        var uses: [(String, Int)] = []
        uses += inputPorts.enumerated().map { ("\(keyPath).input_port (instance \($0.offset + 1))", $0.element) }
        uses += metricsPorts.enumerated().map { ("\(keyPath).metrics_port (instance \($0.offset + 1))", $0.element) }
        if let publish, let port = Endpoint.port(of: publish) { uses.append(("\(keyPath).publish", port)) }
        return uses
    }
}

extension PipelineDefinition {
    /// The ports the stages of `host` would bind that something on this
    /// machine holds already, e.g. another pipeline or replay with the same
    /// ports. Checked before starting, so a clash is one clear error instead
    /// of stages that cannot bind and a second pipeline's messages reaching
    /// the first's stages.
    public func portsInUse(host: String) -> [(key: String, port: Int)] {
        stages.filter { $0.host == host }.flatMap(\.portUses).filter { !Self.canBind(port: $0.port) }
    }

    /// Whether a TCP socket can bind `port` on every address now (with
    /// SO_REUSEADDR, as ZeroMQ binds, so a closed socket's TIME_WAIT does
    /// not count).
    static func canBind(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }  // cannot tell: let the stage say
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
