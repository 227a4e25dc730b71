/// Schema v7: Better Auth 1.7's columns, and our JWT keys in a table of their own.
/// - `account.issuer` (1.7 requires it, unique with `accountId`), backfilled as 1.7 does: `local:credential` for
///   password accounts, `local:oauth:<provider>` for the rest. Left nullable here so a replica of the previous
///   release, which does not write it, keeps working during a rolling upgrade (1.7's own tables have it NOT NULL).
/// - `jwks.alg` and `jwks.crv` (1.7), backfilled with the defaults of its keys (EdDSA, Ed25519).
/// - Our keys move from `jwks` to `signing_keys`: their private halves are sealed our way (AES-GCM), which Better
///   Auth cannot read, so a shared `jwks` broke its `/token`. `jwks` is Better Auth's alone from now on.
/// A statement starting with `-- only if "T" is camelCase` runs only when that table has Better Auth's camelCase
/// columns (a snake_case `jwks` never held our keys: our inserts could not have worked there).
enum SchemaV7 {
    static let migration = Migration(
        version: 7, name: "Better Auth 1.7 columns, signing keys of our own",
        sqlite: statements(timestamp: "text"),
        postgres: statements(timestamp: "timestamptz")
    )

    private static func statements(timestamp: String) -> [String] {
        [
            #"ALTER TABLE "account" ADD COLUMN "issuer" text"#,
            #"""
            UPDATE "account" SET "issuer" = CASE WHEN "providerId" = 'credential' THEN 'local:credential'
                ELSE 'local:oauth:' || "providerId" END WHERE "issuer" IS NULL
            """#,
            #"CREATE UNIQUE INDEX IF NOT EXISTS "account_issuer_accountId_uidx" ON "account" ("issuer", "accountId")"#,
            #"ALTER TABLE "jwks" ADD COLUMN "alg" text"#,
            #"ALTER TABLE "jwks" ADD COLUMN "crv" text"#,
            """
            CREATE TABLE IF NOT EXISTS signing_keys (
                "id" text PRIMARY KEY,
                "publicKey" text NOT NULL,
                "privateKey" text NOT NULL,
                "createdAt" \(timestamp) NOT NULL,
                "expiresAt" \(timestamp)
            )
            """,
            // Better Auth stores a private key as a JSON string (sealed) or a JSON object (unsealed); ours is base64.
            #"""
            -- only if "jwks" is camelCase
            INSERT INTO signing_keys ("id", "publicKey", "privateKey", "createdAt", "expiresAt")
            SELECT "id", "publicKey", "privateKey", "createdAt", "expiresAt" FROM "jwks" WHERE "privateKey" NOT LIKE '"%' AND "privateKey" NOT LIKE '{%'
            """#,
            #"""
            -- only if "jwks" is camelCase
            DELETE FROM "jwks" WHERE "privateKey" NOT LIKE '"%' AND "privateKey" NOT LIKE '{%'
            """#,
            #"UPDATE "jwks" SET "alg" = 'EdDSA', "crv" = 'Ed25519' WHERE "alg" IS NULL"#,
        ]
    }
}
