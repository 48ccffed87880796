import Testing

@testable import Delivery

/// The response head parser on plain bytes, for cases a friendly server never sends.
@Suite struct ResponseParsingTests {
    private func parse(_ text: String) throws -> (HTTPStatusResponse, Int)? {
        try HTTPResponseHead.parse(Array(text.utf8))
    }

    @Test func incompleteHeadIsNil() throws {
        #expect(try parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n") == nil)
    }

    @Test func interimContinueIsSkipped() throws {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok"
        let (response, bodyStart) = try #require(try parse(text))
        #expect(response.status == 202)
        #expect(response.reason == "Accepted")
        #expect(response.headers["content-length"] == "2")
        #expect(bodyStart == text.utf8.count - 2)
    }

    @Test func malformedStatusLineThrows() {
        #expect(throws: HTTPResponseHead.Malformed.self) { try parse("SMTP ready\r\n\r\n") }
        #expect(throws: HTTPResponseHead.Malformed.self) { try parse("HTTP/1.1 2000 OK\r\n\r\n") }
        #expect(throws: HTTPResponseHead.Malformed.self) { try parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n") }
    }

    @Test func framing() throws {
        func framing(_ text: String) throws -> HTTPResponseHead.Framing {
            HTTPResponseHead.framing(of: try #require(try parse(text)).0)
        }
        #expect(try framing("HTTP/1.1 204 No Content\r\n\r\n") == .none)
        #expect(try framing("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n") == .length(12))
        #expect(try framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") == .chunked)
        #expect(try framing("HTTP/1.0 200 OK\r\n\r\n") == .untilClose)
    }

    @Test func bodyDrainKeepsOnlyItsLimit() {
        var drain = BodyDrain(framing: .length(10), limit: 4)
        drain.add(Array("abcdef".utf8)[...])
        #expect(!drain.complete)
        drain.add(Array("ghij".utf8)[...])
        #expect(drain.complete)
        #expect(drain.kept == Array("abcd".utf8))
        var chunked = BodyDrain(framing: .chunked, limit: 100)
        chunked.add(Array("2\r\nok\r\n0\r".utf8)[...])
        #expect(!chunked.complete)
        chunked.add(Array("\n\r\n".utf8)[...])
        #expect(chunked.complete)
    }
}
