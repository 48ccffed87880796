import CFITSIO

extension FITSFile {
    /// The number of HDUs in the file (at least 1 for a file with a primary HDU).
    public func hduCount() throws -> Int {
        var count: Int32 = 0
        try call("counting HDUs") { ffthdu($0, &count, &$1) }
        return Int(count)
    }

    /// The 0-based index of CFITSIO's current HDU (0 is the primary HDU).
    public func currentHDUIndex() throws -> Int {
        var number: Int32 = 0
        try call("asking for the current HDU") { pointer, _ in ffghdn(pointer, &number) }
        return Int(number) - 1
    }

    /// Every HDU in order, with image shapes. Leaves the current HDU where it was.
    public func hdus() throws -> [FITSHDUInfo] {
        let start = try currentHDUIndex()
        var list: [FITSHDUInfo] = []
        for index in 0..<(try hduCount()) {
            list.append(try moveToHDU(index))
        }
        try moveToHDU(start)
        return list
    }

    /// Makes HDU `index` (0-based; 0 is the primary HDU) the current HDU and describes it.
    @discardableResult
    public func moveToHDU(_ index: Int) throws -> FITSHDUInfo {
        guard index >= 0, index < Int(Int32.max) else {
            throw FITSError(.cfitsio, file: name, problem: "HDU index \(index) is out of range")
        }
        var type: Int32 = 0
        try call("moving to HDU \(index)") { ffmahd($0, Int32(index + 1), &type, &$1) }
        return try describeCurrentHDU(index: index, type: type)
    }

    /// Makes the first HDU holding a 2-D image the current HDU and describes it.
    ///
    /// A plain image is usually the primary HDU (index 0); a tile-compressed
    /// image sits in extension 1 behind an empty primary HDU.
    ///
    /// - Throws: ``FITSError/Code/wrongDimensionality`` when the file has
    ///   images but none is 2-D, ``FITSError/Code/noImageHDU`` when it has no
    ///   image data at all.
    @discardableResult
    public func moveToFirstImage() throws -> FITSHDUInfo {
        var otherImage: FITSHDUInfo?
        for index in 0..<(try hduCount()) {
            let info = try moveToHDU(index)
            guard let image = info.image, !image.axes.isEmpty else { continue }
            if image.isTwoDimensional { return info }
            if otherImage == nil { otherImage = info }
        }
        if let otherImage, let image = otherImage.image {
            throw wrongDimensionality(image, index: otherImage.index)
        }
        throw FITSError(.noImageHDU, file: name, problem: "no HDU holds image data (the file has no 2-D image)")
    }

    /// Moves to the 2-D image HDU a read should use: `index`, or the first 2-D image when `nil`.
    func moveToImage(_ index: Int?) throws -> (index: Int, image: FITSImageInfo) {
        let info = try index.map { try moveToHDU($0) } ?? moveToFirstImage()
        guard let image = info.image, !image.axes.isEmpty else {
            throw FITSError(.noImageHDU, file: name, problem: "HDU \(info.index) holds no image data (it is \(info.kind))")
        }
        guard image.isTwoDimensional else { throw wrongDimensionality(image, index: info.index) }
        return (info.index, image)
    }

    private func wrongDimensionality(_ image: FITSImageInfo, index: Int) -> FITSError {
        let shape = image.axes.map(String.init).joined(separator: " x ")
        return FITSError(.wrongDimensionality, file: name,
                         problem: "HDU \(index) holds a \(image.axes.count)-D image (\(shape)); a 2-D image is needed")
    }

    private func describeCurrentHDU(index: Int, type: Int32) throws -> FITSHDUInfo {
        switch type {
        case IMAGE_HDU:
            return FITSHDUInfo(index: index, kind: .image, image: try currentImageInfo())
        case ASCII_TBL:
            return FITSHDUInfo(index: index, kind: .asciiTable, image: nil)
        default:
            return FITSHDUInfo(index: index, kind: .binaryTable, image: nil)
        }
    }

    /// Shape and storage of the current image HDU. For a compressed image
    /// CFITSIO answers with the uncompressed image's values (ZBITPIX, ZNAXISn).
    private func currentImageInfo() throws -> FITSImageInfo {
        var naxis: Int32 = 0
        try call("reading the image dimensions") { ffgidm($0, &naxis, &$1) }
        var axes = [Int64](repeating: 0, count: max(Int(naxis), 1))
        var bitpix: Int32 = 0
        var equivalent: Int32 = 0
        var compressed: Int32 = 0
        try call("reading the image parameters") { ffgiprll($0, naxis, &bitpix, &naxis, &axes, &$1) }
        try call("reading the scaled image type") { ffgiet($0, &equivalent, &$1) }
        try call("checking for tile compression") { compressed = fits_is_compressed_image($0, &$1) }
        guard let stored = FITSPixelType(rawValue: Int(bitpix)),
              let scaled = FITSPixelType(rawValue: Int(equivalent)) else {
            throw FITSError(.notFITS, file: name, problem: "unsupported BITPIX \(bitpix) (equivalent type \(equivalent))")
        }
        return FITSImageInfo(bitpix: stored, equivalentType: scaled,
                             axes: axes.prefix(Int(naxis)).map { Int($0) }, isTileCompressed: compressed != 0)
    }
}
