/// A Swift type that FITS pixels can be read into and written from.
///
/// `Int16`, `Int32`, `Float` and `Double` conform. The module hands arrays of
/// these straight to CFITSIO, so a conforming type must have exactly the
/// memory layout of its ``fitsPixelType``; conforming other types is not
/// supported (reads and writes check the size and stop with a precondition
/// failure).
///
/// ## Blank pixels
/// A pixel with no data — an IEEE NaN in floating-point data, or the `BLANK`
/// (`ZBLANK` when compressed) value in integer data — reads as ``fitsBlank``:
/// NaN for `Float`/`Double`, and `.min` for `Int16`/`Int32`. In integer reads
/// that sentinel cannot be told apart from a real pixel equal to `.min`; read
/// into a floating-point type when blanks matter.
public protocol FITSPixel: Sendable {
    /// The FITS storage type with this type's memory layout.
    static var fitsPixelType: FITSPixelType { get }
    /// The value a blank pixel reads as (NaN, or `.min` for integers).
    static var fitsBlank: Self { get }
    /// Whether this value marks a blank pixel.
    var isFITSBlank: Bool { get }
}

extension Int16: FITSPixel {
    /// ``FITSPixelType/int16``.
    public static var fitsPixelType: FITSPixelType { .int16 }
    /// `Int16.min`, the sentinel for blank pixels.
    public static var fitsBlank: Int16 { .min }
    /// Whether the value is `Int16.min`.
    public var isFITSBlank: Bool { self == .min }
}

extension Int32: FITSPixel {
    /// ``FITSPixelType/int32``.
    public static var fitsPixelType: FITSPixelType { .int32 }
    /// `Int32.min`, the sentinel for blank pixels.
    public static var fitsBlank: Int32 { .min }
    /// Whether the value is `Int32.min`.
    public var isFITSBlank: Bool { self == .min }
}

extension Float: FITSPixel {
    /// ``FITSPixelType/float32``.
    public static var fitsPixelType: FITSPixelType { .float32 }
    /// A quiet NaN.
    public static var fitsBlank: Float { .nan }
    /// Whether the value is NaN (any payload).
    public var isFITSBlank: Bool { isNaN }
}

extension Double: FITSPixel {
    /// ``FITSPixelType/float64``.
    public static var fitsPixelType: FITSPixelType { .float64 }
    /// A quiet NaN.
    public static var fitsBlank: Double { .nan }
    /// Whether the value is NaN (any payload).
    public var isFITSBlank: Bool { isNaN }
}

extension FITSPixel {
    /// Stops when a conformer's memory layout differs from its FITS type, which
    /// would make CFITSIO write past or short of the Swift array.
    static func checkLayout() {
        precondition(MemoryLayout<Self>.size == fitsPixelType.byteCount
                     && MemoryLayout<Self>.stride == fitsPixelType.byteCount,
                     "\(Self.self) is not laid out as FITS \(fitsPixelType)")
    }
}
