import Foundation
import HTTPTypes
import Hummingbird
import TodoCore

/// Who a request comes from, for the sign-in limits and the session record.
///
/// The TCP peer, unless the peer is a trusted proxy (`TRUSTED_PROXIES`): then `X-Forwarded-For` is read right to left
/// and the first hop that is not itself a trusted proxy is the client. Hops further left were written by the client
/// and are never believed, so a client cannot choose its address, and users behind one ingress are told apart.
struct ClientAddressResolver: Sendable {
    let trusted: [IPNetwork]

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func address(of request: Request, peer: String?) -> String {
        guard let peer else { return "unknown" }
        guard isTrusted(peer) else { return peer }
        let hops = request.headers[values: Self.forwardedFor]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var client = peer
        for hop in hops.reversed() {
            client = hop
            if !isTrusted(hop) { break }
        }
        return client
    }

    private func isTrusted(_ address: String) -> Bool {
        trusted.contains { $0.contains(address) }
    }
}
