import CFITSIO

extension FITSFile {
    /// Appends `image` as a new image HDU with `header` cards, optionally tile-compressed.
    ///
    /// The first image written to a new file becomes the primary HDU; with
    /// compression CFITSIO writes an empty primary HDU first and the image
    /// goes to extension 1, as the tiled-image convention requires. Pixels are
    /// written as stored, without `BSCALE`/`BZERO`: uncompressed `Float` and
    /// `Double` images read back bit for bit, NaN payloads included. With
    /// quantized compression (see ``FITSCompression``) NaNs are kept as blank
    /// pixels and read back as NaN, while other values are approximated.
    ///
    /// - Parameters:
    ///   - image: The pixels; width and height must be positive.
    ///   - header: Extra cards, written in order after the structural ones;
    ///     see ``FITSKeyValue`` for the keywords that are refused.
    ///   - compression: Tile compression, or `nil` for a plain image.
    /// - Returns: The 0-based index of the new HDU.
    /// - Throws: ``FITSError/Code/invalidHeaderCard`` before anything is
    ///   written when a card is refused; CFITSIO errors otherwise (PLIO with
    ///   negative or huge values, lossless float with an algorithm other than GZIP).
    @discardableResult
    public func writeImage<T: FITSPixel>(_ image: Image<T>, header: [FITSKeyValue] = [],
                                         compression: FITSCompression? = nil) throws -> Int {
        T.checkLayout()
        guard image.width > 0, image.height > 0 else {
            throw FITSError(.wrongDimensionality, file: name,
                            problem: "cannot write an empty \(image.width) x \(image.height) image")
        }
        let cards = try header.map { try FITSCardWriter.validated($0, file: name) }
        let quantizing = T.fitsPixelType.isFloatingPoint
            && compression.map { $0.floatQuantization != .lossless } ?? false
        try createImageHDU(width: image.width, height: image.height, type: T.fitsPixelType, compression: compression)
        for card in cards {
            try write(card)
        }
        try writePixels(image, blankSentinel: quantizing)
        return try currentHDUIndex()
    }

    /// Creates `path` (replacing it when `overwrite`), writes `image` with `header`, and closes the file.
    public static func write<T: FITSPixel>(_ image: Image<T>, to path: String, header: [FITSKeyValue] = [],
                                           compression: FITSCompression? = nil, overwrite: Bool = false) throws {
        let file = try create(path: path, overwrite: overwrite)
        try file.writeImage(image, header: header, compression: compression)
        try file.close()
    }

    private func createImageHDU(width: Int, height: Int, type: FITSPixelType, compression: FITSCompression?) throws {
        if let compression {
            try requestCompression(compression)
        }
        var axes: [Int64] = [Int64(width), Int64(height)]
        try call("creating a \(width) x \(height) \(type) image HDU") { pointer, status in
            ffcrimll(pointer, type.cfitsioBitpix, 2, &axes, &status)
        }
        if compression != nil {
            // The request would otherwise also compress the next image written to
            // this file. 0 withdraws it; CFITSIO's NOCOMPRESS (-1) would instead
            // count as a request and fail the next write as an unknown algorithm.
            try call("clearing the compression request") { fits_set_compression_type($0, 0, &$1) }
        }
    }

    private func requestCompression(_ compression: FITSCompression) throws {
        let algorithm: Int32 = switch compression.algorithm {
        case .rice: RICE_1
        case .gzip: GZIP_1
        case .hcompress: HCOMPRESS_1
        case .plio: PLIO_1
        }
        try call("requesting \(compression.algorithm) compression") { fits_set_compression_type($0, algorithm, &$1) }
        if let tile = compression.tile {
            var dims = [tile.width, tile.height]
            try call("setting the compression tile to \(tile.width) x \(tile.height)") { pointer, status in
                fits_set_tile_dim(pointer, 2, &dims, &status)
            }
        }
        let level: Float = switch compression.floatQuantization {
        case .lossless: 0  // CFITSIO's code for "do not quantize"
        case .level(let value): value
        }
        try call("setting the float quantization level to \(level)") { fits_set_quantize_level($0, level, &$1) }
    }

    private func write(_ card: FITSKeyValue) throws {
        let operation = "writing header keyword \(card.keyword)"
        switch card.value {
        case .string(let text):
            try call(operation) { ffukls($0, card.keyword, text, card.comment, &$1) }
        case .int(let number):
            try call(operation) { ffukyj($0, card.keyword, Int64(number), card.comment, &$1) }
        case .bool(let flag):
            try call(operation) { ffukyl($0, card.keyword, flag ? 1 : 0, card.comment, &$1) }
        case .double(let number):
            var value = Array(FITSCardWriter.text(of: number).utf8CString)
            var record = [CChar](repeating: 0, count: Int(FLEN_CARD))
            try call(operation) { pointer, status in
                ffmkky(card.keyword, &value, card.comment, &record, &status)
                ffucrd(pointer, card.keyword, &record, &status)
            }
        }
    }

    /// Writes every pixel. When floats are quantized for compression, NaNs
    /// must be handed to CFITSIO as an explicit null value to become blanks;
    /// CFITSIO compares null values with `==`, which never matches NaN, so
    /// NaNs are first replaced by a finite value absent from the image.
    private func writePixels<T: FITSPixel>(_ image: Image<T>, blankSentinel: Bool) throws {
        var first: [Int64] = [1, 1]
        let count = Int64(image.count)
        let datatype = T.fitsPixelType.cfitsioDatatype
        let operation = "writing the \(image.width) x \(image.height) image"
        guard blankSentinel, image.pixels.contains(where: \.isFITSBlank),
              let (pixels, sentinel) = FITSCardWriter.replacingNaN(in: image.pixels) else {
            try image.pixels.withUnsafeBytes { buffer in
                try call(operation) { pointer, status in
                    ffppxll(pointer, datatype, &first, count, UnsafeMutableRawPointer(mutating: buffer.baseAddress), &status)
                }
            }
            return
        }
        var null = sentinel
        try pixels.withUnsafeBytes { buffer in
            try call(operation) { pointer, status in
                withUnsafeMutableBytes(of: &null) { nullBytes in
                    _ = ffppxnll(pointer, datatype, &first, count, UnsafeMutableRawPointer(mutating: buffer.baseAddress),
                                 nullBytes.baseAddress, &status)
                }
            }
        }
    }
}
