import Foundation
import Pixels

/// A named binary part of an envelope and how to read it.
public struct Frame: Sendable, Equatable {
    /// How the bytes are laid out.
    public enum Layout: Sendable, Equatable {
        /// `width × height` little-endian float32, row-major.
        case float32(width: Int, height: Int)
        /// `width × height` bytes, row-major (masks).
        case uint8(width: Int, height: Int)
        /// UTF-8 text (e.g. FITS header cards).
        case text
        /// Opaque bytes.
        case bytes
    }

    /// The frame's name within its envelope, e.g. `science`, `mask`.
    public var name: String
    public var layout: Layout
    public var data: Data

    public init(name: String, layout: Layout, data: Data) {
        self.name = name
        self.layout = layout
        self.data = data
    }

    /// A float image as a frame.
    public static func image(_ name: String, _ image: Image<Float>) -> Frame {
        let data = image.pixels.withUnsafeBufferPointer { Data(buffer: $0) }
        return Frame(name: name, layout: .float32(width: image.width, height: image.height), data: data)
    }

    /// A byte image (a mask's raw bits) as a frame.
    public static func bytes(_ name: String, width: Int, height: Int, _ values: [UInt8]) -> Frame {
        Frame(name: name, layout: .uint8(width: width, height: height), data: Data(values))
    }

    /// Text as a frame.
    public static func text(_ name: String, _ text: String) -> Frame {
        Frame(name: name, layout: .text, data: Data(text.utf8))
    }

    /// The frame as a float image; nil when it is not one or is the wrong size.
    public func floatImage() -> Image<Float>? {
        guard case .float32(let width, let height) = layout, data.count == 4 * width * height else { return nil }
        let pixels = [Float](unsafeUninitializedCapacity: width * height) { buffer, count in
            _ = data.copyBytes(to: buffer)
            count = width * height
        }
        return Image(width: width, height: height, pixels: pixels)
    }

    /// The frame as bytes with its size; nil when it is not a byte image.
    public func byteImage() -> (width: Int, height: Int, values: [UInt8])? {
        guard case .uint8(let width, let height) = layout, data.count == width * height else { return nil }
        return (width, height, [UInt8](data))
    }

    /// The frame as text; nil when it is not text.
    public func string() -> String? {
        guard case .text = layout else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
