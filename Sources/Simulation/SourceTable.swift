/// Formats `sources.csv`: every static star and galaxy of every field.
///
/// Columns: `field, id, kind` (`star` or `galaxy`), `ra, dec` (degrees),
/// `flux_ref` (total flux in the field's deep-reference ADU), `mag` (on the
/// night's zero point), `half_light_radius` (semi-major, pixels; galaxies),
/// `sersic_index`, `axis_ratio`, `position_angle` (degrees east of north;
/// galaxies), `saturated` (1 when the star's brightest pixel reaches the deep
/// reference's full well; always 0 for galaxies), `variable` (1 for stars
/// with a truth row of kind `variable`).
public enum SourceTable {
    /// The header line's column names, in order.
    public static let columns = [
        "field", "id", "kind", "ra", "dec", "flux_ref", "mag", "half_light_radius", "sersic_index", "axis_ratio",
        "position_angle", "saturated", "variable",
    ]

    /// The lines of one field (without header), stars first.
    static func lines(_ field: FieldPlan, configuration c: NightConfiguration) -> [String] {
        let noise = NoiseModel(exposure: field.reference, configuration: c)
        let name = field.layout.name
        let f = TruthTable.fixed
        let stars = field.stars.map { star in
            [name, star.id, "star", f(star.ra, 11), f(star.dec, 11), f(noise.adu(rate: star.rate), 4), f(star.mag, 6),
             "", "", "", "", star.saturatedInReference ? "1" : "0", star.variability == nil ? "0" : "1"]
                .joined(separator: ",")
        }
        let galaxies = field.galaxies.map { galaxy in
            [name, galaxy.id, "galaxy", f(galaxy.ra, 11), f(galaxy.dec, 11), f(noise.adu(rate: galaxy.rate), 4),
             f(galaxy.mag, 6), f(galaxy.halfLightRadius, 6), String(galaxy.sersicIndex), f(galaxy.axisRatio, 6),
             f(galaxy.positionAngle, 6), "0", "0"].joined(separator: ",")
        }
        return stars + galaxies
    }
}
