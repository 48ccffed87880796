import Foundation
import Messaging

/// A socket whose receives give up after a few seconds, so a broken test
/// fails instead of hanging the run. The bound is a safety net, not a timing
/// assertion.
func receiver(_ kind: ZMQSocket.Kind, in context: ZMQContext) throws -> ZMQSocket {
    let socket = try ZMQSocket(kind, context: context)
    try socket.setReceiveTimeout(.seconds(5))
    return socket
}

/// Polls `condition` every 10 ms, at most `attempts` times; true once it
/// holds. Used where libzmq finishes work on its own I/O thread.
func eventually(attempts: Int = 500, _ condition: () throws -> Bool) rethrows -> Bool {
    for _ in 0..<attempts {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// A recognisable 32-bit pattern, so misplaced or truncated bytes show up.
func pattern(count: Int) -> [UInt32] {
    (0..<count).map { UInt32(truncatingIfNeeded: $0) &* 2_654_435_761 }
}
