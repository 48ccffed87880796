import Foundation

/// Converts between `Date` and PostgreSQL's ISO timestamp text, to the
/// microsecond, without `DateFormatter` (slow, and locale-dependent).
///
/// Works on whole microseconds since 1970 so that a `Date` that went through
/// the database compares equal to the one rounded on the way in.
enum PostgresTimestamp {
    private static let microsPerDay: Int64 = 86_400_000_000

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, or the `... BC` form for years before 1.
    static func format(_ date: Date) -> String {
        let scaled = (date.timeIntervalSince1970 * 1_000_000).rounded()
        // Beyond ±2^62 µs (±146,000 years) PostgreSQL has no timestamp either.
        guard scaled.isFinite, abs(scaled) < 4.6e18 else { return scaled < 0 ? "-infinity" : "infinity" }
        let micros = Int64(scaled)
        let days = floorDivide(micros, microsPerDay)
        let microOfDay = micros - days * microsPerDay
        let (year, month, day) = civil(fromDays: days)
        let seconds = microOfDay / 1_000_000
        let time =
            "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
            + ".\(pad(microOfDay % 1_000_000, 6))"
        if year <= 0 {
            return "\(pad(1 - year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(time)+00 BC"
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(time)Z"
    }

    /// Parses `YYYY-MM-DD[( |T)HH:MM:SS[.f…]][Z|±HH[:MM[:SS]]][ BC]`, as
    /// PostgreSQL prints `timestamptz`, `timestamp` (no offset: UTC) and `date`.
    static func parse(_ text: String) -> Date? {
        var scanner = ByteScanner(text)
        guard let year = scanner.number(minDigits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var micros: Int64 = 0
        if scanner.skip(" ") || scanner.skip("T") {
            guard let hour = scanner.number(digits: 2), scanner.skip(":"),
                let minute = scanner.number(digits: 2), scanner.skip(":"),
                let second = scanner.number(digits: 2), hour <= 24, minute < 60, second <= 60
            else { return nil }
            micros = ((hour * 60 + minute) * 60 + second) * 1_000_000
            if scanner.skip(".") {
                guard let fraction = scanner.microseconds() else { return nil }
                micros += fraction
            }
        }
        guard let offset = scanner.utcOffset() else { return nil }
        let bc = scanner.skip(" BC")
        guard scanner.atEnd else { return nil }
        let civilYear = bc ? 1 - year : year
        let total = days(fromCivil: civilYear, month, day) * microsPerDay + micros - offset * 1_000_000
        return Date(timeIntervalSince1970: Double(total) / 1_000_000)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(fromDays count: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = count + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A cursor over a string's UTF-8 bytes for the fixed formats PostgreSQL prints.
struct ByteScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var atEnd: Bool { position == bytes.count }

    /// Consumes `literal` if it comes next.
    mutating func skip(_ literal: String) -> Bool {
        let expected = Array(literal.utf8)
        guard bytes.count - position >= expected.count,
            Array(bytes[position..<position + expected.count]) == expected
        else { return false }
        position += expected.count
        return true
    }

    /// Exactly `digits` decimal digits.
    mutating func number(digits: Int) -> Int64? {
        let start = position
        guard let value = number(minDigits: digits), position - start == digits else { return nil }
        return value
    }

    /// At least `minDigits` decimal digits (at most 18).
    mutating func number(minDigits: Int) -> Int64? {
        var value: Int64 = 0
        let start = position
        while position < bytes.count, position - start < 18, (48...57).contains(bytes[position]) {
            value = value * 10 + Int64(bytes[position] - 48)
            position += 1
        }
        return position - start >= minDigits ? value : nil
    }

    /// Fraction digits after a decimal point, as microseconds (digits past
    /// the sixth are dropped; PostgreSQL prints at most six).
    mutating func microseconds() -> Int64? {
        var value: Int64 = 0
        var count = 0
        while position < bytes.count, (48...57).contains(bytes[position]) {
            if count < 6 { value = value * 10 + Int64(bytes[position] - 48) }
            count += 1
            position += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 6) { value *= 10 }
        return value
    }

    /// `Z`, `±HH`, `±HH:MM` or `±HH:MM:SS` as seconds east of UTC; 0 when absent.
    mutating func utcOffset() -> Int64? {
        if skip("Z") { return 0 }
        let sign: Int64
        if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { return 0 }
        guard let hours = number(digits: 2) else { return nil }
        var seconds = hours * 3600
        if skip(":") {
            guard let minutes = number(digits: 2) else { return nil }
            seconds += minutes * 60
            if skip(":") {
                guard let secs = number(digits: 2) else { return nil }
                seconds += secs
            }
        }
        return sign * seconds
    }
}
