/// UTC instants as whole milliseconds since 1970-01-01T00:00:00, with their
/// ISO 8601 text (`DATE-OBS`) and Modified Julian Date (`MJD-OBS`).
///
/// Times are integers so that the two header forms of an instant agree
/// exactly and no calendar library or time zone is involved. Leap seconds are
/// ignored, as in `DATE-OBS` practice for UTC.
enum NightClock {
    /// MJD of the Unix epoch, 1970-01-01T00:00:00.
    static let unixEpochMJD = 40587.0
    /// Milliseconds in one day.
    static let millisecondsPerDay: Int64 = 86_400_000

    /// Milliseconds since the Unix epoch for `YYYY-MM-DDThh:mm:ss[.sss][Z]`,
    /// or nil when the text is not such a date.
    static func milliseconds(iso text: String) -> Int64? {
        var body = Substring(text)
        if body.hasSuffix("Z") { body = body.dropLast() }
        let parts = body.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard date.count == 3, clock.count == 3, let year = date[0], let month = date[1], let day = date[2],
              let hour = Int(clock[0]), let minute = Int(clock[1]), let seconds = Double(clock[2]),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), seconds >= 0, seconds < 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let milliseconds = Int64((seconds * 1000).rounded())
        return Int64(days) * millisecondsPerDay + Int64(hour * 3_600_000 + minute * 60_000) + milliseconds
    }

    /// The MJD of an ISO 8601 UTC text, or nil when it does not parse.
    static func mjd(iso text: String) -> Double? {
        milliseconds(iso: text).map(mjd(milliseconds:))
    }

    /// The MJD (days) of an instant in milliseconds since the Unix epoch.
    static func mjd(milliseconds: Int64) -> Double {
        unixEpochMJD + Double(milliseconds) / Double(millisecondsPerDay)
    }

    /// `YYYY-MM-DDThh:mm:ss.sss` (UTC, no zone letter, as FITS `DATE-OBS`).
    static func iso(milliseconds: Int64) -> String {
        let days = floorDivide(milliseconds, millisecondsPerDay)
        let rest = milliseconds - days * millisecondsPerDay
        let (year, month, day) = civilFromDays(Int(days))
        let hour = rest / 3_600_000, minute = rest / 60_000 % 60, second = rest / 1000 % 60, milli = rest % 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(Int(hour), 2)):\(pad(Int(minute), 2)):"
            + "\(pad(Int(second), 2)).\(pad(Int(milli), 3))"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
    /// algorithm, exact for all years).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
