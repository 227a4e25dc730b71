/// Everything the product persists, behind one value the roles are built from.
public protocol TodoStore: TaskStore, UserStore, SessionStore, SigningKeyStore, ConversationStore {
    /// Checks the database answers; throws `TodoError.unavailable` when it does not.
    func ping() async throws
}
