import Imaging
import Preprocessing
import WCS

/// A reference made ready once and reused for every science image of its
/// field: preprocessed, with its star catalogue and PSF.
public struct PreparedReference: Sendable {
    /// The reference exposure as loaded.
    public let exposure: Exposure
    /// Its preprocessing products (background-subtracted pixels, mask, PSF, stars).
    public let prepared: PreprocessedImage

    /// The reference's grid size, pixels.
    public var width: Int { exposure.pixels.width }
    public var height: Int { exposure.pixels.height }
    /// The reference's WCS: every difference of the field is on this grid.
    public var wcs: WCSTransform { exposure.wcs }
}
