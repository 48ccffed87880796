import Foundation

/// A PNG writer with no dependencies: 8-bit greyscale or RGB, stored
/// (uncompressed) deflate blocks, CRC-32 and Adler-32 computed here. Files
/// are larger than zlib's, but stamps and report figures are small, and
/// Foundation on Linux has no compressor.
public enum PNGEncoder {
    /// Pixel layouts the encoder writes.
    public enum ColorType: UInt8, Sendable {
        case gray = 0
        case rgb = 2
        var channels: Int { self == .gray ? 1 : 3 }
    }

    /// Encodes `pixels` (row-major, top row first, `channels` bytes per pixel).
    public static func encode(width: Int, height: Int, colorType: ColorType, pixels: [UInt8]) -> Data {
        precondition(pixels.count == width * height * colorType.channels, "PNG pixel count does not match its size")
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, colorType.rawValue, 0, 0, 0])
        png.appendChunk("IHDR", header)
        png.appendChunk("IDAT", zlibStored(scanlines(width: width, height: height, channels: colorType.channels, pixels)))
        png.appendChunk("IEND", Data())
        return png
    }

    /// Each row prefixed with filter type 0 (none).
    static func scanlines(width: Int, height: Int, channels: Int, _ pixels: [UInt8]) -> [UInt8] {
        let stride = width * channels
        var out = [UInt8]()
        out.reserveCapacity(height * (stride + 1))
        for y in 0..<height {
            out.append(0)
            out.append(contentsOf: pixels[(y * stride)..<((y + 1) * stride)])
        }
        return out
    }

    /// A zlib stream of stored deflate blocks (at most 65 535 bytes each).
    static func zlibStored(_ bytes: [UInt8]) -> Data {
        var out = Data([0x78, 0x01])
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            let final: UInt8 = offset + length >= bytes.count ? 1 : 0
            out.append(final)
            out.append(UInt8(length & 0xFF))
            out.append(UInt8(length >> 8))
            out.append(UInt8(~length & 0xFF))
            out.append(UInt8((~length >> 8) & 0xFF))
            out.append(contentsOf: bytes[offset..<(offset + length)])
            offset += length
        } while offset < bytes.count
        out.appendBigEndian(adler32(bytes))
        return out
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }

    mutating func appendChunk(_ type: String, _ body: Data) {
        appendBigEndian(UInt32(body.count))
        let typed = Data(type.utf8) + body
        append(typed)
        appendBigEndian(PNGEncoder.crc32(typed))
    }
}
