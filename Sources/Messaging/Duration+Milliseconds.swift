extension Duration {
    /// Whole milliseconds for libzmq, rounded up so that a short positive
    /// timeout waits at least 1 ms instead of turning into "don't wait".
    var zmqMilliseconds: Int {
        precondition(self >= .zero, "negative timeout \(self)")
        let (seconds, attoseconds) = components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        let millis = (attoseconds + perMillisecond - 1) / perMillisecond
        let (total, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? Int.max : Int(clamping: total.addingReportingOverflow(millis).partialValue)
    }
}

/// libzmq's timeout convention: `-1` waits forever, `0` returns at once.
func zmqTimeout(_ timeout: Duration?) -> Int {
    timeout?.zmqMilliseconds ?? -1
}

/// The reverse of ``zmqTimeout(_:)``.
func duration(fromZMQ milliseconds: Int32) -> Duration? {
    milliseconds < 0 ? nil : .milliseconds(milliseconds)
}
