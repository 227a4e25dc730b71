import TodoCore
import Foundation
#if canImport(Glibc)
import Glibc

/// The C names differ in type between Glibc and Darwin; these two keep the code below the same on both.
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
private func connectSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
    Glibc.connect(fd, address, length)
}
#elseif canImport(Darwin)
import Darwin

private let streamSocketType = SOCK_STREAM
private func connectSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
    Darwin.connect(fd, address, length)
}
#endif

/// A minimal blocking HTTP/1.1 GET over a plain socket, for `healthcheck`.
///
/// It avoids starting an event loop or an HTTP client stack, because the health check runs
/// every few seconds in every container and must start and finish in milliseconds.
public enum HTTPProbe {
    /// The status line and body of a response.
    public struct Response: Sendable {
        public let status: Int
        public let body: String
    }

    /// Why a probe failed, in words fit for one line of output.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Requests `url` (http only) and returns its response, failing once `timeoutMillis` has passed in total.
    public static func get(_ url: String, timeoutMillis: Int32) throws(Failure) -> Response {
        let target = try parse(url)
        let deadline = monotonicMillis() + Int64(timeoutMillis)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocketType
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(target.host, String(target.port), &hints, &list) == 0, let first = list else {
            throw Failure(description: "cannot resolve host \(target.host)")
        }
        defer { freeaddrinfo(list) }
        var lastError = "connection failed"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            candidate = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            do throws(Failure) {
                try connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen, deadline: deadline)
                let request = "GET \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nUser-Agent: todo-chatbot-healthcheck\r\nConnection: close\r\n\r\n"
                try send(fd, request, deadline: deadline)
                return try parseResponse(try receive(fd, deadline: deadline))
            } catch {
                lastError = error.description
            }
        }
        throw Failure(description: lastError)
    }

    struct Target {
        let host: String
        let port: Int
        let path: String
        var hostHeader: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    static func parse(_ url: String) throws(Failure) -> Target {
        guard url.hasPrefix("http://") else {
            throw Failure(description: "only http:// URLs are supported, got \(url)")
        }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority)
        var port = 80
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw Failure(description: "invalid IPv6 address in \(url)") }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) ?? -1 }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            port = Int(host[host.index(after: colon)...]) ?? -1
            host = String(host[..<colon])
        }
        guard !host.isEmpty, (1...65535).contains(port) else { throw Failure(description: "invalid URL \(url)") }
        return Target(host: host, port: port, path: path.isEmpty ? "/" : String(path))
    }

    static func monotonicMillis() -> Int64 {
        (ContinuousClock.now - epoch).totalMilliseconds
    }

    private static let epoch = ContinuousClock.now

    static func wait(_ fd: Int32, for events: Int16, deadline: Int64) throws(Failure) {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let remaining = deadline - monotonicMillis()
            guard remaining > 0 else { throw Failure(description: "timed out") }
            let ready = poll(&descriptor, 1, Int32(remaining))
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw Failure(description: "poll failed (errno \(errno))") }
        }
    }

    static func connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, deadline: Int64) throws(Failure) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if connectSocket(fd, address, length) != 0 {
            guard errno == EINPROGRESS else { throw Failure(description: describeErrno(errno)) }
            try wait(fd, for: Int16(POLLOUT), deadline: deadline)
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            guard error == 0 else { throw Failure(description: describeErrno(error)) }
        }
    }

    static func send(_ fd: Int32, _ text: String, deadline: Int64) throws(Failure) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            try wait(fd, for: Int16(POLLOUT), deadline: deadline)
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw Failure(description: describeErrno(errno))
            }
            offset += written
        }
    }

    static func receive(_ fd: Int32, deadline: Int64) throws(Failure) -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while data.count < 1 << 20 {
            try wait(fd, for: Int16(POLLIN), deadline: deadline)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw Failure(description: describeErrno(errno))
            }
            data.append(contentsOf: chunk[0..<count])
        }
        return data
    }

    static func parseResponse(_ data: [UInt8]) throws(Failure) -> Response {
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix("HTTP/1."), let space = text.firstIndex(of: " ") else {
            throw Failure(description: data.isEmpty ? "the server closed the connection without answering" : "not an HTTP response")
        }
        let code = text[text.index(after: space)...].prefix(3)
        guard let status = Int(code) else { throw Failure(description: "not an HTTP response") }
        var body = ""
        if let split = text.range(of: "\r\n\r\n") {
            body = String(text[split.upperBound...])
            if text[..<split.lowerBound].lowercased().contains("transfer-encoding: chunked") { body = dechunk(body) }
        }
        return Response(status: status, body: body)
    }

    static func dechunk(_ body: String) -> String {
        var result = ""
        var rest = Substring(body)
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let chunk = rest.utf8[start...].prefix(size)
            result += String(Substring(chunk))
            rest = Substring(rest.utf8[chunk.endIndex...]).dropFirst(2)
        }
        return result
    }

    static func describeErrno(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "connection refused"
        case ETIMEDOUT: "timed out"
        case EHOSTUNREACH, ENETUNREACH: "host unreachable"
        case ECONNRESET: "connection reset"
        default: String(cString: strerror(code))
        }
    }
}
