import Foundation
import Testing
import TodoCore
import TodoStorage
import TodoTestSupport

@Suite struct VerificationStoreContractTests {
    @Test(arguments: StoreKind.available)
    func aLinkIsReadManyTimesUsedOnceAndPurgedWhenLongExpired(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let start = Date()
            let (user, other) = (RandomID.make(), RandomID.make())
            let id = "reset-password:" + RandomID.make(length: 64)
            try await store.createVerification(identifier: id, value: user, expiresAt: start.addingTimeInterval(3600))
            #expect(try await store.verification(identifier: id)?.value == user)
            #expect(try await store.verification(identifier: id)?.value == user, "reading does not use it up")
            // Two consumers race: exactly one gets it.
            async let first = store.consumeVerification(identifier: id)
            async let second = store.consumeVerification(identifier: id)
            let got = try await [first, second].compactMap { $0 }
            #expect(got.count == 1 && got.first?.value == user)
            #expect(try await store.verification(identifier: id) == nil)

            let (mine, theirs, email) = ("reset-password:" + RandomID.make(), "reset-password:" + RandomID.make(), "verify-email:" + RandomID.make())
            try await store.createVerification(identifier: mine, value: user, expiresAt: start.addingTimeInterval(3600))
            try await store.createVerification(identifier: theirs, value: other, expiresAt: start.addingTimeInterval(3600))
            try await store.createVerification(identifier: email, value: user, expiresAt: start.addingTimeInterval(3600))
            try await store.deleteVerifications(prefix: "reset-password:", value: user)
            #expect(try await store.verification(identifier: mine) == nil, "the user's other reset links end")
            #expect(try await store.verification(identifier: theirs) != nil, "another user's stay")
            #expect(try await store.verification(identifier: email) != nil, "links of another kind stay")

            let old = "verify-email:" + RandomID.make()
            try await store.createVerification(identifier: old, value: user, expiresAt: start.addingTimeInterval(-90_000))
            #expect(try await store.purgeVerifications(expiredBefore: start.addingTimeInterval(-86_400)) >= 1)
            #expect(try await store.verification(identifier: old) == nil)
            #expect(try await store.verification(identifier: email) != nil, "a live link survives the purge")
        }
    }
}
