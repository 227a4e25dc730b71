/// Everything the product persists, behind one value the roles are built from.
public protocol TodoStore: TaskStore, UserStore, SessionStore, SigningKeyStore, RateLimitStore, ConversationStore {
    /// Checks the database answers; throws `TodoError.unavailable` when it does not.
    func ping() async throws
}
