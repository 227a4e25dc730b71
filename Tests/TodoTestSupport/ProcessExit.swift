import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Waits for a child process to exit.
///
/// Foundation on Linux sometimes misses the SIGCHLD of a child that exits while other children start; its
/// `waitUntilExit()` then never returns and `isRunning` stays true. So the exit is also looked for directly, with
/// `waitid(WNOWAIT)`, which sees a finished child without reaping it and leaves Foundation's bookkeeping intact.
public enum ProcessExit {
    /// The exit status (128 + the signal for a child killed by one), or nil if it still runs after `limit`.
    public static func status(of process: Process, within limit: Duration = .seconds(600)) async -> Int32? {
        let pid = process.processIdentifier
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if !process.isRunning { return process.terminationStatus }
            var info = siginfo_t()
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0, info._sifields._sigchld.si_pid == pid {
                let status = info._sifields._sigchld.si_status
                return info.si_code == CLD_EXITED ? status : 128 + status
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}
