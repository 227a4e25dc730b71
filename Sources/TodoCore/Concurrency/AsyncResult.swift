extension Result where Failure == any Error {
    /// The outcome of an async throwing body, kept as a value (to hand on to another waiting task).
    public init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
