import Foundation

/// Observation times from FITS headers.
///
/// DATE-OBS comes in several dialects: ISO 8601 with the time
/// (`2020-08-30T21:36:59.101`), a date alone with the time in `TIME-OBS`,
/// `UT` or `UTSTART`, and the pre-2000 `DD/MM/YY`. All are read as UTC.
public enum ObservationTime {
    /// Why a date could not be read.
    public struct ParseError: Error, Sendable {
        /// What was wrong, quoting the text.
        public let reason: String
    }

    /// The start of the exposure from DATE-OBS and, when DATE-OBS holds only a
    /// date, the time-of-day key.
    public static func dateObs(_ value: String, timeOfDay: String?) -> Result<Date, ParseError> {
        var text = value.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("Z") { text.removeLast() }
        var datePart = text, timePart = timeOfDay
        if let t = text.firstIndex(of: "T") {
            datePart = String(text[..<t])
            timePart = String(text[text.index(after: t)...])
        }
        guard let day = parseDate(datePart) else { return .failure(ParseError(reason: "'\(value)' is not a date")) }
        guard let time = timePart else {
            return .failure(ParseError(reason: "'\(value)' has no time of day and no TIME-OBS/UT/UTSTART key"))
        }
        guard let seconds = parseTime(time) else { return .failure(ParseError(reason: "'\(time)' is not a time of day")) }
        return .success(day.addingTimeInterval(seconds))
    }

    /// The Modified Julian Date of `date` (days since 1858-11-17 00:00 UTC).
    public static func mjd(_ date: Date) -> Double {
        date.timeIntervalSince1970 / 86_400 + 40_587
    }

    /// The date of a Modified Julian Date.
    public static func date(mjd: Double) -> Date {
        Date(timeIntervalSince1970: (mjd - 40_587) * 86_400)
    }

    /// The observing night a time belongs to: the UTC calendar date twelve
    /// hours earlier, so that one night's exposures share one date.
    public static func night(of date: Date) -> String {
        let shifted = date.addingTimeInterval(-12 * 3_600)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: shifted)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// ISO 8601 in UTC with milliseconds, e.g. `2020-08-30T21:36:59.101Z`.
    public static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    private static func parseDate(_ text: String) -> Date? {
        var year = 0, month = 0, day = 0
        let dashed = text.split(separator: "-")
        let slashed = text.split(separator: "/")
        if dashed.count == 3, let y = Int(dashed[0]), let m = Int(dashed[1]), let d = Int(dashed[2]) {
            (year, month, day) = (y, m, d)
        } else if slashed.count == 3, let d = Int(slashed[0]), let m = Int(slashed[1]), let y = Int(slashed[2]) {
            // DD/MM/YY: the FITS standard reads two-digit years as 19YY.
            (year, month, day) = (y < 100 ? 1900 + y : y, m, d)
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day))
    }

    private static func parseTime(_ text: String) -> TimeInterval? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count >= 2, parts.count <= 3, let h = Double(parts[0]), let m = Double(parts[1]) else {
            return nil
        }
        let s = parts.count == 3 ? Double(parts[2]) : 0
        guard let s, (0..<24).contains(h), (0..<60).contains(m), (0..<61).contains(s) else { return nil }
        return h * 3_600 + m * 60 + s
    }
}
