/// Schema v2: Better Auth's `rateLimit` table, shared by every replica's limiter.
enum SchemaV2 {
    static let migration = Migration(
        version: 2, name: "rate limits",
        sqlite: [
            #"CREATE TABLE IF NOT EXISTS "rateLimit" ("id" text PRIMARY KEY, "key" text NOT NULL UNIQUE, "count" integer NOT NULL, "lastRequest" integer NOT NULL)"#,
        ],
        postgres: [
            #"CREATE TABLE IF NOT EXISTS "rateLimit" ("id" text PRIMARY KEY, "key" text NOT NULL UNIQUE, "count" integer NOT NULL, "lastRequest" bigint NOT NULL)"#,
        ]
    )
}
