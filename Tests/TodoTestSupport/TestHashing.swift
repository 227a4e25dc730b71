import NIOPosix
import TodoAuth

/// Password hashing for tests: a cheaper scrypt (the behaviour around it is the same) on a thread pool of its own,
/// so a test's sign-up never queues behind the real-cost hashes that `PasswordHasherTests` check, and a slow, busy
/// machine still answers a signed-up request in milliseconds.
public let cheapHasher = PasswordHasher(cost: 1024, threadPool: testHashingPool)

private let testHashingPool: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: 2)
    pool.start()
    return pool
}()
