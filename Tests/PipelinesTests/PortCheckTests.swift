import Foundation
import Glibc
import Testing
@testable import Pipelines

/// A pipeline refuses to start on ports something already holds, naming
/// each with its key, so two pipelines never pass each other's messages.
@Suite("Ports in use")
struct PortCheckTests {
    /// A listening socket on an ephemeral port, and that port.
    static func holdPort() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("a held input port is reported with its key; free ports and other hosts' ports are not")
    func heldPort() throws {
        let held = try Self.holdPort()
        defer { close(held.fd) }
        let free = try Self.holdPort()
        close(free.fd)
        let definition = try PipelineLoader.load(yaml: """
            pipeline: t
            hosts:
              a: 127.0.0.1
              b: 10.0.0.2
            stages:
              - stage: ingest
                host: a
                metrics_port: \(free.port)
              - stage: preprocess
                host: a
                input_port: \(held.port)
              - stage: difference
                host: b
                input_port: \(held.port)
                metrics_port: \(free.port)
            """, file: "t.yaml")
        let busy = definition.portsInUse(host: "a")
        #expect(busy.map(\.port) == [held.port])
        #expect(busy.first?.key == "stages[1].input_port (instance 1)")
        #expect(definition.portsInUse(host: "b").map(\.port) == [held.port], "host b's own ports only")
    }
}
