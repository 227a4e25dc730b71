/// Where a store's change tracking stood when a read began: a cached result of that read may be served again for as
/// long as the store hands out the same stamp (any change to the data it covers hands out another).
public struct ChangeStamp: Sendable, Hashable {
    /// Which run of the tracking this is; it changes when changes may have gone unseen (a lost listener connection).
    public var epoch: UInt64
    /// Changes seen by this process (its own writes, and others' as they were announced).
    public var local: UInt64
    /// Changes the database itself counts, made by any process (SQLite's `data_version`); 0 where it counts none.
    public var database: UInt64

    public init(epoch: UInt64, local: UInt64, database: UInt64 = 0) {
        self.epoch = epoch
        self.local = local
        self.database = database
    }
}
