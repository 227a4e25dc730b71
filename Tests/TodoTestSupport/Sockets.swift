import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel for a free loopback port.
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A socket that listens but never accepts: a database that hangs.
public func silentListener() throws -> (Int32, Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
    withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// Sends raw bytes to a loopback port and reads until `marker` appears (or the peer closes), then closes the
/// connection: a client that walks away in the middle of a streamed answer. Returns what was read.
public func sendAndHangUp(port: Int, request: String, after marker: String, timeoutSeconds: Int = 10) async throws -> String {
    let connection = try await RawConnection.open(port: port, request: request, timeoutSeconds: timeoutSeconds)
    defer { connection.close() }
    return try await connection.read(until: marker)
}

/// A raw HTTP connection on loopback that is read a piece at a time: an open event stream a test reads as
/// events arrive. Every read is bounded by the receive timeout, so a missing event fails instead of hanging.
public final class RawConnection: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var received: [UInt8] = []

    private init(fd: Int32) {
        self.fd = fd
    }

    /// Connects and sends `request`.
    public static func open(port: Int, request: String, timeoutSeconds: Int = 10) async throws -> RawConnection {
        try await offPool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                Glibc.close(fd)
                throw POSIXError(.ECONNREFUSED)
            }
            let bytes = Array(request.utf8)
            guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else {
                Glibc.close(fd)
                throw POSIXError(.EPIPE)
            }
            return RawConnection(fd: fd)
        }
    }

    /// Everything read so far, once `marker` is in it (or the peer closed, or a receive timed out).
    public func read(until marker: String) async throws -> String {
        try await offPool { [self] in
            lock.withLock {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !String(decoding: received, as: UTF8.self).contains(marker) {
                    let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    guard count > 0 else { break }
                    received += buffer[..<count]
                }
                return String(decoding: received, as: UTF8.self)
            }
        }
    }

    public func close() {
        Glibc.close(fd)
    }
}
