/// The storage type of image pixels, as FITS `BITPIX` and CFITSIO's
/// "equivalent" image types name them.
///
/// The raw values are the codes CFITSIO uses: the standard `BITPIX` values
/// (8, 16, 32, 64, -32, -64) and CFITSIO's codes for integer data that
/// `BZERO` turns signed/unsigned (10, 20, 40, 80).
public enum FITSPixelType: Int, Sendable, Hashable, CaseIterable {
    /// Unsigned 8-bit integer (`BITPIX = 8`).
    case uint8 = 8
    /// Signed 8-bit integer (`BITPIX = 8` with `BZERO = -128`).
    case int8 = 10
    /// Signed 16-bit integer (`BITPIX = 16`).
    case int16 = 16
    /// Unsigned 16-bit integer (`BITPIX = 16` with `BZERO = 32768`).
    case uint16 = 20
    /// Signed 32-bit integer (`BITPIX = 32`).
    case int32 = 32
    /// Unsigned 32-bit integer (`BITPIX = 32` with `BZERO = 2^31`).
    case uint32 = 40
    /// Signed 64-bit integer (`BITPIX = 64`).
    case int64 = 64
    /// Unsigned 64-bit integer (`BITPIX = 64` with `BZERO = 2^63`).
    case uint64 = 80
    /// IEEE 754 binary32 (`BITPIX = -32`).
    case float32 = -32
    /// IEEE 754 binary64 (`BITPIX = -64`).
    case float64 = -64

    /// Whether pixels of this type are IEEE floating point.
    public var isFloatingPoint: Bool { rawValue < 0 }

    /// Bytes per pixel in memory.
    public var byteCount: Int {
        switch self {
        case .uint8, .int8: 1
        case .int16, .uint16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64: 8
        }
    }
}

/// The kind of an HDU (header–data unit).
public enum FITSHDUKind: Sendable, Hashable {
    /// A primary array or `IMAGE` extension, including tile-compressed images
    /// (which are stored as binary tables but read as images).
    case image
    /// An ASCII table extension (`XTENSION = 'TABLE'`).
    case asciiTable
    /// A binary table extension (`XTENSION = 'BINTABLE'`) that is not a compressed image.
    case binaryTable
}

/// The shape and storage of an image HDU.
public struct FITSImageInfo: Sendable, Hashable {
    /// The stored pixel type (`BITPIX`; for a compressed image, `ZBITPIX`).
    public let bitpix: FITSPixelType
    /// The type the pixels have after `BSCALE`/`BZERO` are applied (CFITSIO's
    /// `ffgiet`): a 16-bit image with a fractional `BSCALE` is ``FITSPixelType/float32``.
    /// Read with this type to lose nothing.
    public let equivalentType: FITSPixelType
    /// Axis lengths in pixels, `NAXIS1` first; empty for a header-only HDU.
    public let axes: [Int]
    /// Whether the image is stored tile-compressed in a binary table.
    public let isTileCompressed: Bool

    /// Creates image information.
    public init(bitpix: FITSPixelType, equivalentType: FITSPixelType, axes: [Int], isTileCompressed: Bool) {
        self.bitpix = bitpix
        self.equivalentType = equivalentType
        self.axes = axes
        self.isTileCompressed = isTileCompressed
    }

    /// Whether this is a two-dimensional image with pixels.
    public var isTwoDimensional: Bool { axes.count == 2 && axes.allSatisfy { $0 > 0 } }

    /// `NAXIS1`, the number of columns; 0 when there is no first axis.
    public var width: Int { axes.first ?? 0 }
    /// `NAXIS2`, the number of rows; 0 when there is no second axis.
    public var height: Int { axes.count > 1 ? axes[1] : 0 }
}

/// One entry of a file's HDU list.
public struct FITSHDUInfo: Sendable, Hashable {
    /// 0-based position in the file: 0 is the primary HDU, `n` is extension `n`.
    /// (CFITSIO's HDU numbers are this plus one.)
    public let index: Int
    /// What the HDU holds.
    public let kind: FITSHDUKind
    /// Image shape and storage when ``kind`` is ``FITSHDUKind/image``, else `nil`.
    public let image: FITSImageInfo?

    /// Creates an HDU list entry.
    public init(index: Int, kind: FITSHDUKind, image: FITSImageInfo?) {
        self.index = index
        self.kind = kind
        self.image = image
    }
}
