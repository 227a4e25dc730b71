import Foundation
import TodoCore

extension SQLStore {
    /// A token bucket in its GCRA form: the only state is the "theoretical arrival time" (TAT, in `lastRequest`),
    /// so one UPSERT decides and records a request atomically, with no read-modify-write race between replicas.
    /// A request at t fits when TAT - t ≤ τ, where T = 60 s / perMinute and τ = T·(perMinute − 1); it then
    /// moves TAT to max(TAT, t) + T. `count` is 1 when the last request fitted and 0 when it was refused.
    public func consume(key: String, perMinute: Int, now: Date) async throws -> RateDecision {
        let t = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let interval = max(1, 60_000 / Int64(max(1, perMinute)))
        let tolerance = interval * Int64(max(0, perMinute - 1))
        let greatest = database.dialect == .postgres ? "GREATEST" : "max"
        let tat = #"\#(greatest)("rateLimit"."lastRequest", $3)"#
        let fits = "\(tat) - $3 <= $5"
        let rows = try await database.query(
            #"""
            INSERT INTO "rateLimit" ("id", "key", "count", "lastRequest") VALUES ($1, $2, 1, $3 + $4)
            ON CONFLICT ("key") DO UPDATE SET
                "count" = CASE WHEN \#(fits) THEN 1 ELSE 0 END,
                "lastRequest" = CASE WHEN \#(fits) THEN \#(tat) + $4 ELSE "rateLimit"."lastRequest" END
            RETURNING "count", "lastRequest"
            """#,
            [.text(makeID()), .text(key), .int(t), .int(interval), .int(tolerance)]
        )
        let allowed = try rows[0].int("count") == 1
        let waitMillis = try rows[0].int("lastRequest") - t - tolerance
        return RateDecision(allowed: allowed, retryAfter: allowed ? 0 : Int(max(1, (waitMillis + 999) / 1000)))
    }
}
