import Foundation
import Testing

@testable import Delivery

@Suite struct HMACTests {
    private func hex(_ bytes: [UInt8]) -> String { HMACSHA256.hexString(bytes) }

    @Test func rfc4231Case1() {
        let tag = HMACSHA256.sign(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(hex(tag) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func rfc4231Case2() {
        let tag = HMACSHA256.hex(key: "Jefe", message: Data("what do ya want for nothing?".utf8))
        #expect(tag == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    /// A 131-byte key, longer than the block, is hashed first.
    @Test func rfc4231Case6LongKey() {
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        let tag = HMACSHA256.sign(key: [UInt8](repeating: 0xaa, count: 131), message: message)
        #expect(hex(tag) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func constantTimeEquals() {
        #expect(HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!HMACSHA256.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(HMACSHA256.constantTimeEquals([], []))
    }

    @Test func hexRoundTrip() {
        #expect(HMACSHA256.bytes(fromHex: "00ff7A") == [0, 255, 122])
        #expect(HMACSHA256.bytes(fromHex: "abc") == nil)
        #expect(HMACSHA256.bytes(fromHex: "zz") == nil)
    }

    @Test func verifyChecksSecretBodyAndFreshness() {
        let body = Data(#"{"alert":"a1"}"#.utf8)
        let timestamp = "1700000000"
        let signature = "sha256=" + HMACSHA256.hex(key: "s3cret", message: Data("\(timestamp).".utf8) + body)
        #expect(WebhookClient.verify(body: body, timestamp: timestamp, signature: signature, secret: "s3cret"))
        #expect(!WebhookClient.verify(body: body, timestamp: timestamp, signature: signature, secret: "other"))
        #expect(!WebhookClient.verify(body: body + Data(" ".utf8), timestamp: timestamp, signature: signature, secret: "s3cret"))
        #expect(!WebhookClient.verify(body: body, timestamp: "1700000001", signature: signature, secret: "s3cret"))
        #expect(!WebhookClient.verify(body: body, timestamp: timestamp, signature: "sha256=zz", secret: "s3cret"))
        let sent = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(
            WebhookClient.verify(
                body: body, timestamp: timestamp, signature: signature, secret: "s3cret", now: sent + 60))
        // The same request replayed ten minutes later is refused.
        #expect(
            !WebhookClient.verify(
                body: body, timestamp: timestamp, signature: signature, secret: "s3cret", now: sent + 600))
    }
}
