extension Image where Pixel: FITSPixel {
    /// Throws ``FITSError/Code/allBlank`` naming `file` when the image has no
    /// pixel with data (every pixel NaN or blank, or no pixels at all).
    ///
    /// Reading does not do this by itself because an all-blank frame is a valid
    /// FITS file; it is a pipeline decision to reject one. Call it right after
    /// ``FITSFile/readImage(as:hdu:)`` with ``FITSFile/name``.
    ///
    /// - Parameter file: The path or label used in the error message.
    public func validateNotBlank(file: String) throws {
        if pixels.contains(where: { !$0.isFITSBlank }) { return }
        throw FITSError(.allBlank, file: file,
                        problem: "every pixel of the \(width) x \(height) image is NaN or blank; the frame holds no data")
    }

    /// The number of pixels that are NaN or blank (see ``FITSPixel/isFITSBlank``).
    public var blankCount: Int {
        pixels.reduce(0) { $0 + ($1.isFITSBlank ? 1 : 0) }
    }
}
