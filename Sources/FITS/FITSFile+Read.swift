import CFITSIO

extension FITSFile {
    /// Reads a 2-D image as `T`, row-major with `NAXIS1` as the width (see `Image`).
    ///
    /// CFITSIO applies `BSCALE`/`BZERO` and converts to `T`, so a 16-bit image
    /// with a fractional `BSCALE` read as `Float` gives the physical values;
    /// ``FITSImageInfo/equivalentType`` says which type holds them without
    /// loss. Tile-compressed images (RICE, GZIP, HCOMPRESS, PLIO) are
    /// decompressed transparently.
    ///
    /// Blank pixels read as ``FITSPixel/fitsBlank``:
    /// - Into `Float`/`Double`: NaN, both for NaNs in floating-point data and
    ///   for `BLANK`/`ZBLANK` pixels of integer or compressed data. An
    ///   uncompressed floating-point image read as its own type is copied
    ///   without null checking, so the bits come back exactly (NaN payloads,
    ///   negative zero and subnormals included; CFITSIO's null check would
    ///   canonicalise NaNs and flush subnormals to zero).
    /// - Into `Int16`/`Int32`: `.min`, for `BLANK` pixels and for NaNs in
    ///   floating-point data.
    ///
    /// - Parameters:
    ///   - type: The pixel type to read into.
    ///   - hdu: The 0-based HDU index, or `nil` for the first 2-D image.
    /// - Throws: ``FITSError`` with ``FITSError/Code/noImageHDU``,
    ///   ``FITSError/Code/wrongDimensionality``, ``FITSError/Code/truncated``,
    ///   or ``FITSError/Code/cfitsio`` (status 412 when a scaled value does not
    ///   fit in `T`).
    public func readImage<T: FITSPixel>(as type: T.Type = T.self, hdu: Int? = nil) throws -> Image<T> {
        T.checkLayout()
        let (index, info) = try moveToImage(hdu)
        let (width, height) = (info.width, info.height)
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow else {
            throw FITSError(.cfitsio, file: name, problem: "HDU \(index) image \(width) x \(height) is too large")
        }
        let checkNulls = !T.fitsPixelType.isFloatingPoint || info.isTileCompressed || !info.bitpix.isFloatingPoint
        var blank = T.fitsBlank
        var pixels = [T](repeating: T.fitsBlank, count: count)
        var first: [Int64] = [1, 1]
        var anyNull: Int32 = 0
        try pixels.withUnsafeMutableBytes { buffer in
            try call("reading the \(width) x \(height) image of HDU \(index) as \(T.fitsPixelType)") { pointer, status in
                withUnsafeMutableBytes(of: &blank) { blankBytes in
                    _ = ffgpxvll(pointer, T.fitsPixelType.cfitsioDatatype, &first, Int64(count),
                             checkNulls ? blankBytes.baseAddress : nil, buffer.baseAddress, &anyNull, &status)
                }
            }
        }
        return Image(width: width, height: height, pixels: pixels)
    }

    /// Describes the 2-D image that ``readImage(as:hdu:)`` would read, and
    /// moves there: stored type, type after scaling (`ffgiet`), shape and compression.
    public func imageInfo(hdu: Int? = nil) throws -> FITSImageInfo {
        try moveToImage(hdu).image
    }
}

extension FITSPixelType {
    /// CFITSIO's datatype code for an array of this type in memory. Int32 is
    /// `TINT` (C `int`), not `TLONG`, which is 64-bit on LP64 Linux.
    var cfitsioDatatype: Int32 {
        switch self {
        case .uint8: TBYTE
        case .int8: TSBYTE
        case .int16: TSHORT
        case .uint16: TUSHORT
        case .int32: TINT
        case .uint32: TUINT
        case .int64: TLONGLONG
        case .uint64: TULONGLONG
        case .float32: TFLOAT
        case .float64: TDOUBLE
        }
    }

    /// The `BITPIX` CFITSIO should create for this type; CFITSIO turns the
    /// unsigned/signed-byte codes into a `BITPIX` plus `BZERO` by itself.
    var cfitsioBitpix: Int32 { Int32(rawValue) }
}
