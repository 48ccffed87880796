import Checksum
import Foundation

/// HMAC-SHA256 (RFC 2104) over the `Checksum` module's SHA-256.
///
/// Webhook signatures need a keyed hash, and Foundation on Linux has no
/// CryptoKit; the pipeline already carries a tested SHA-256, so HMAC is the
/// two extra hash passes RFC 2104 describes and nothing more.
public enum HMACSHA256 {
    /// SHA-256 works on 64-byte blocks; RFC 2104 pads or hashes the key to this length.
    private static let blockSize = 64

    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    ///
    /// - Parameters:
    ///   - key: any length; keys longer than 64 bytes are hashed first, as RFC 2104 requires.
    ///   - message: the bytes to authenticate.
    /// - Returns: the raw 32-byte tag.
    public static func sign(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > blockSize ? digest(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        let inner = block.map { $0 ^ 0x36 }
        let outer = block.map { $0 ^ 0x5c }
        return digest(outer + digest(inner + message))
    }

    /// The HMAC-SHA256 of `message` under the UTF-8 bytes of `key`, as 64
    /// lower-case hex characters (the form webhook headers carry).
    public static func hex(key: String, message: Data) -> String {
        hexString(sign(key: Array(key.utf8), message: Array(message)))
    }

    /// Whether two byte strings are equal, taking the same time whatever
    /// their contents, so a receiver checking a signature does not reveal
    /// through timing how many leading bytes an attacker guessed right.
    /// Only the lengths (public anyway: a tag is always 32 bytes) can leak.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// `bytes` as lower-case hex, two characters a byte.
    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes spelled by hex text (either case), or nil when the text is
    /// not an even number of hex digits.
    static func bytes(fromHex text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The raw SHA-256 digest. `SHA256` only hands out hex, so decode it;
    /// the cost is negligible next to the hashing itself.
    private static func digest(_ bytes: [UInt8]) -> [UInt8] {
        // SHA256.hex always returns 64 valid hex digits.
        Self.bytes(fromHex: SHA256.hex(bytes))!
    }
}
