import Foundation
import HummingbirdTesting
import Testing
import TodoAPI

#if canImport(Glibc)
import Glibc
#endif

@Suite struct HTTPProbeTests {
    @Test func readsTheStatusAndBodyOfALiveServer() async throws {
        try await withAPI(mode: .live) { client in
            let port = try #require(client.port)
            let response = try await Task.detached {
                try HTTPProbe.get("http://127.0.0.1:\(port)/health", timeoutMillis: 3000)
            }.value
            #expect(response.status == 200)
            #expect(response.body.contains(#""status":"ok""#))
            let missing = try await Task.detached { try HTTPProbe.get("http://localhost:\(port)/nope", timeoutMillis: 3000) }.value
            #expect(missing.status == 404)
        }
    }

    @Test func aClosedPortIsRefused() throws {
        let failure = #expect(throws: HTTPProbe.Failure.self) { try HTTPProbe.get("http://127.0.0.1:9/health", timeoutMillis: 1000) }
        #expect(failure?.description == "connection refused")
    }

    @Test func aSilentServerTimesOutOnTime() throws {
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let start = ContinuousClock.now
        let failure = #expect(throws: HTTPProbe.Failure.self) { try HTTPProbe.get("http://127.0.0.1:\(port)/health", timeoutMillis: 300) }
        #expect(failure?.description == "timed out")
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func rejectsURLsItCannotProbe() {
        #expect(throws: HTTPProbe.Failure.self) { try HTTPProbe.get("https://127.0.0.1/health", timeoutMillis: 100) }
        #expect(throws: HTTPProbe.Failure.self) { try HTTPProbe.get("http://:80/", timeoutMillis: 100) }
    }
}

/// A socket that listens but never accepts: connections complete in the kernel and then hear nothing.
func silentListener() throws -> (Int32, Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
    withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}
