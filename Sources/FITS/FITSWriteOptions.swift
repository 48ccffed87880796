/// A typed header value to write.
public enum FITSValue: Sendable, Hashable {
    /// A character string; written quoted, with CONTINUE cards past 68 characters.
    case string(String)
    /// A real number; written in the shortest form that reads back to the same
    /// `Double`. Must be finite: FITS has no NaN or infinity in headers.
    case double(Double)
    /// An integer.
    case int(Int)
    /// A logical, written `T` or `F`.
    case bool(Bool)
}

/// A header card to write: keyword, typed value and comment.
///
/// Cards are written with CFITSIO's update calls, so a keyword that is already
/// in the header is replaced rather than duplicated. The structural keywords
/// that describe the data (`SIMPLE`, `XTENSION`, `BITPIX`, `NAXIS`, `NAXISn`,
/// `EXTEND`, `PCOUNT`, `GCOUNT`, `END`, `BSCALE`, `BZERO`, `BLANK`) and the
/// `Z…` keywords of compressed images are refused: CFITSIO writes them from
/// the image itself, and a wrong one would change how pixels are read back.
public struct FITSKeyValue: Sendable, Hashable {
    /// The keyword, at most 8 characters of `A-Z 0-9 - _`; lower case is upper-cased.
    public var keyword: String
    /// The value.
    public var value: FITSValue
    /// The comment after the `/`; may be empty. CFITSIO truncates it to fit the card.
    public var comment: String

    /// A card `keyword = value / comment`.
    public init(_ keyword: String, _ value: FITSValue, comment: String = "") {
        self.keyword = keyword
        self.value = value
        self.comment = comment
    }
}

/// Tile compression for writing an image (FITS tiled image convention).
///
/// Integer images are compressed losslessly by every algorithm (HCOMPRESS with
/// its default scale 0). Floating-point images are quantized to integers
/// before compression unless ``floatQuantization`` is ``FloatQuantization/lossless``,
/// and lossless floating-point compression is only possible with
/// ``Algorithm/gzip``: CFITSIO refuses the other algorithms for it. Use
/// ``losslessFloat`` when pixels must read back bit for bit.
public struct FITSCompression: Sendable, Hashable {
    /// The compression algorithm (`ZCMPTYPE`).
    public enum Algorithm: Sendable, Hashable, CaseIterable {
        /// `RICE_1`: fast, good for integer data.
        case rice
        /// `GZIP_1`: the only algorithm that can store floats losslessly.
        case gzip
        /// `HCOMPRESS_1`: wavelet-based, 2-D tiles.
        case hcompress
        /// `PLIO_1`: integer masks with values in 0 ..< 2^24 only.
        case plio
    }

    /// How floating-point pixels are quantized before compression.
    public enum FloatQuantization: Sendable, Hashable {
        /// Keep the float bits (GZIP only).
        case lossless
        /// Quantize so that the step is the tile's noise sigma divided by this
        /// level (CFITSIO's `fits_set_quantize_level`; CFITSIO's default is 4).
        /// NaNs are kept as blanks.
        case level(Float)
    }

    /// A tile shape in pixels.
    public struct Tile: Sendable, Hashable {
        /// Tile width in columns.
        public var width: Int
        /// Tile height in rows.
        public var height: Int
        /// A `width` x `height` tile.
        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    /// The algorithm.
    public var algorithm: Algorithm
    /// The tile shape; `nil` lets CFITSIO choose (one row per tile, or 16 rows for HCOMPRESS).
    public var tile: Tile?
    /// Quantization of floating-point pixels; ignored for integer images.
    public var floatQuantization: FloatQuantization

    /// Compression with `algorithm`; floats are quantized at CFITSIO's default level 4 unless told otherwise.
    public init(_ algorithm: Algorithm, tile: Tile? = nil, floatQuantization: FloatQuantization = .level(4)) {
        self.algorithm = algorithm
        self.tile = tile
        self.floatQuantization = floatQuantization
    }

    /// RICE with default tiles.
    public static var rice: FITSCompression { FITSCompression(.rice) }
    /// GZIP with default tiles (floats quantized).
    public static var gzip: FITSCompression { FITSCompression(.gzip) }
    /// HCOMPRESS with default tiles.
    public static var hcompress: FITSCompression { FITSCompression(.hcompress) }
    /// PLIO with default tiles.
    public static var plio: FITSCompression { FITSCompression(.plio) }
    /// GZIP without quantization: floating-point pixels, NaN payloads included, read back bit for bit.
    public static var losslessFloat: FITSCompression { FITSCompression(.gzip, floatQuantization: .lossless) }
}
