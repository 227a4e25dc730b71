import Foundation
import TodoCore

extension SQLStore {
    /// A token bucket in its GCRA form: the only state is the "theoretical arrival time" (TAT, in `lastRequest`),
    /// so one UPSERT decides and records a request atomically, with no read-modify-write race between replicas.
    /// A request at t fits when TAT - t ≤ τ, where T = 60 s / perMinute and τ = T·(perMinute − 1); it then
    /// moves TAT to max(TAT, t) + T. `count` is 1 when the last request fitted and 0 when it was refused. T is the
    /// window over the limit: 60 s / perMinute for the minute limits, 10 s / 3 for Better Auth's sign-in rule.
    public func consume(key: String, limit: Int, window: Int, now: Date) async throws -> RateDecision {
        let (t, interval, tolerance) = Self.bucket(limit: limit, window: window, now: now)
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
        return RateDecision(allowed: allowed, retryAfter: allowed ? 0 : Self.seconds(waitMillis))
    }

    /// The batch form for requests a replica admitted itself: TAT moves by count·T whatever it was, because those
    /// requests were served; the bucket is over when TAT - t now exceeds τ + T (more than a minute's worth).
    public func record(key: String, count: Int, perMinute: Int, now: Date) async throws -> RateDecision {
        let (t, interval, tolerance) = Self.bucket(limit: perMinute, window: 60, now: now)
        let added = interval * Int64(max(1, count))
        let rows = try await database.query(
            #"""
            INSERT INTO "rateLimit" ("id", "key", "count", "lastRequest") VALUES ($1, $2, 1, $3 + $4)
            ON CONFLICT ("key") DO UPDATE SET
                "count" = 1, "lastRequest" = \#(greatest)("rateLimit"."lastRequest", $3) + $4
            RETURNING "lastRequest"
            """#,
            [.text(makeID()), .text(key), .int(t), .int(added)]
        )
        let over = try rows[0].int("lastRequest") - t - tolerance - interval
        return RateDecision(allowed: over <= 0, retryAfter: over <= 0 ? 0 : Self.seconds(over + interval))
    }

    private var greatest: String { database.dialect == .postgres ? "GREATEST" : "max" }

    /// Now in milliseconds, T and τ of a bucket of `limit` per `window` seconds.
    private static func bucket(limit: Int, window: Int, now: Date) -> (now: Int64, interval: Int64, tolerance: Int64) {
        let interval = max(1, Int64(window) * 1000 / Int64(max(1, limit)))
        return (Int64((now.timeIntervalSince1970 * 1000).rounded(.down)), interval, interval * Int64(max(0, limit - 1)))
    }

    private static func seconds(_ millis: Int64) -> Int { Int(max(1, (millis + 999) / 1000)) }
}
