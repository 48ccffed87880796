/// ZeroMQ TCP endpoints as the stages take them: a PULL or PUB socket binds
/// on its own host, a PUSH socket connects to the consumer's host address.
public enum Endpoint {
    /// The endpoint a socket on a host at `address` binds for `port`.
    ///
    /// An IP address is bound as given, so a loopback-only pipeline stays off
    /// the network. A DNS name binds every interface (`*`): ZeroMQ binds to
    /// interfaces or addresses, not to names.
    public static func bind(address: String, port: Int) -> String {
        isIPAddress(address) ? "tcp://\(bracketed(address)):\(port)" : "tcp://*:\(port)"
    }

    /// The endpoint a PUSH socket connects to, to reach `port` on `address`.
    public static func connect(address: String, port: Int) -> String {
        "tcp://\(bracketed(address)):\(port)"
    }

    /// The port of a `tcp://HOST:PORT` endpoint, or nil when it is not one.
    public static func port(of endpoint: String) -> Int? {
        guard endpoint.hasPrefix("tcp://"), let colon = endpoint.lastIndex(of: ":"),
              let port = Int(endpoint[endpoint.index(after: colon)...]), (1...65535).contains(port)
        else { return nil }
        return port
    }

    static func isIPAddress(_ address: String) -> Bool {
        if address.contains(":") { return true }
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in UInt8(part) != nil }
    }

    private static func bracketed(_ address: String) -> String {
        address.contains(":") ? "[\(address)]" : address
    }
}
