import Foundation

/// When each exposure is taken and at what altitude.
///
/// Science epoch `e` of field `f` starts at
/// `night start + e × (night length / epochs) + f × slot + jitter`, where a
/// slot is the exposure plus 60 s of slew and readout and the jitter is
/// 0–30 s. Fields are thus interleaved through the night, and a field's times
/// do not depend on how many fields there are. The deep reference of field `f`
/// is dated `reference_days_before + f` days before the night, and its shallow
/// reference exposures follow it on that night.
enum NightSchedule {
    /// Slew and readout time between exposures, seconds.
    static let overheadSeconds = 60.0
    /// Largest random delay of an exposure within its slot, seconds.
    static let jitterSeconds = 30.0

    /// The length of one exposure slot in seconds.
    static func slotSeconds(exposure: Double) -> Double {
        exposure + overheadSeconds
    }

    /// Start of science epoch `epoch` of `field`, ms since the Unix epoch.
    static func scienceStart(nightStart: Int64, configuration: NightConfiguration, field: Int, epoch: Int,
                             jitter: Double) -> Int64 {
        let share = configuration.night.durationHours * 3600 / Double(configuration.epochs)
        let slot = slotSeconds(exposure: configuration.camera.exposure)
        let seconds = Double(epoch) * share + Double(field) * slot + jitter
        return nightStart + Int64((seconds * 1000).rounded())
    }

    /// Start of the deep reference (`index` 0) or of shallow reference
    /// exposure `index` (1-based) of `field`, ms since the Unix epoch.
    static func referenceStart(nightStart: Int64, configuration: NightConfiguration, field: Int, index: Int) -> Int64 {
        let days = configuration.night.referenceDaysBefore + Double(field)
        let shallow = configuration.camera.exposure * Double(configuration.camera.referenceDepth)
            / Double(max(1, configuration.referenceExposures))
        let seconds = -days * 86400 + Double(index) * (shallow + overheadSeconds)
        return nightStart + Int64((seconds * 1000).rounded())
    }

    /// The airmass of a field at hour angle `hourAngle` (hours) from a site
    /// at `latitude` (degrees), by Kasten & Young (1989), which stays finite
    /// near the horizon. The altitude is held at >= 10 degrees.
    static func airmass(declination: Double, hourAngle: Double, latitude: Double) -> (airmass: Double, altitude: Double) {
        let radians = Double.pi / 180
        let dec = declination * radians, lat = latitude * radians, ha = hourAngle * 15 * radians
        let sinAltitude = sin(lat) * sin(dec) + cos(lat) * cos(dec) * cos(ha)
        let altitude = max(10, asin(max(-1, min(1, sinAltitude))) / radians)
        let airmass = 1 / (sin(altitude * radians) + 0.50572 * pow(altitude + 6.07995, -1.6364))
        return (airmass, altitude)
    }

    /// The hour angle (hours) of a science exposure: each field is followed
    /// from `fieldOffset - 2` to `fieldOffset + 2` hours over the night, so
    /// that its altitude changes smoothly and stays plausible. This is a
    /// schedule, not an ephemeris: it does not follow from DATE-OBS and a site
    /// longitude.
    static func hourAngle(fieldOffset: Double, fractionOfNight: Double) -> Double {
        fieldOffset + 4 * (fractionOfNight - 0.5)
    }
}
