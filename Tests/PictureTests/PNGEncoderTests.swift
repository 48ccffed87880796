import Foundation
import Testing
@testable import Picture

@Suite struct PNGEncoderTests {
    @Test func checksumsMatchTheirSpecifications() {
        // "123456789" is the standard check value for both.
        let bytes = Array("123456789".utf8)
        #expect(PNGEncoder.crc32(Data(bytes)) == 0xCBF4_3926)
        #expect(PNGEncoder.adler32(bytes) == 0x091E_01DE)
    }

    @Test func pngHasSignatureAndChunks() {
        let png = PNGEncoder.encode(width: 3, height: 2, colorType: .gray, pixels: [0, 128, 255, 10, 20, 30])
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let text = String(decoding: png, as: UTF8.self)
        #expect(text.contains("IHDR") && text.contains("IDAT") && text.contains("IEND"))
    }

    @Test func largeImagesSpanSeveralStoredBlocks() throws {
        let size = 300   // 300 × 301 bytes of scanlines > 65 535
        let pixels = (0..<(size * size)).map { UInt8($0 % 251) }
        let png = PNGEncoder.encode(width: size, height: size, colorType: .gray, pixels: pixels)
        #expect(png.count > size * size)
        // Decoders are strict about the stored-block lengths: check them with
        // python's zlib when it exists on this machine.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("png-\(UUID().uuidString).png")
        try png.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", """
            import struct, zlib, sys
            d = open(sys.argv[1], 'rb').read()[8:]
            idat = b''
            while d:
                n = struct.unpack('>I', d[:4])[0]; t = d[4:8]; body = d[8:8 + n]
                assert zlib.crc32(t + body) == struct.unpack('>I', d[8 + n:12 + n])[0]
                if t == b'IDAT': idat += body
                d = d[12 + n:]
            raw = zlib.decompress(idat)
            assert len(raw) == 300 * 301, len(raw)
            """, url.path]
        guard (try? python.run()) != nil else { return }
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
    }
}
