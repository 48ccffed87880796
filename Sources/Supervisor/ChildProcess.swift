import Database
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One running stage process, started with `posix_spawn`.
///
/// The child gets stdin from /dev/null, stdout and stderr appended to its log
/// file, no other descriptor of ours (the supervisor's database socket and
/// log files stay private), default signal handling with nothing blocked,
/// and its own process group. The group keeps a terminal's Ctrl-C away from
/// the children, so that only the supervisor decides how they stop, and lets
/// a signal reach everything the child started (a stand-in script's `sleep`).
///
/// Not `Foundation.Process`: it cannot close inherited descriptors or set the
/// process group, and it reaps children on its own thread.
final class ChildProcess {
    /// The process id, which is also its process group id.
    let pid: pid_t

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` (a path) with `arguments` and the whole
    /// `environment`, appending its output to `logFile`.
    ///
    /// - Throws: ``SupervisorError`` naming the executable or log when either
    ///   cannot be opened or the spawn fails.
    static func spawn(executable: String, arguments: [String], environment: [String: String],
                      logFile: URL) throws -> ChildProcess {
        let logFD = open(logFile.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard logFD >= 0 else { throw SupervisorError.cannotStart(executable, "cannot open \(logFile.path)", errno) }
        defer { close(logFD) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logFD, 1)
        posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        SpawnActions.closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The supervisor ignores SIGINT/SIGTERM (a dispatch source takes them);
        // a child must not inherit that, or SIGTERM would not stop it.
        var nothing = sigset_t()
        sigemptyset(&nothing)
        posix_spawnattr_setsigmask(&attributes, &nothing)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = [executable] + arguments
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid = pid_t()
        let status = withCStrings(argv) { args in
            withCStrings(envp) { env in posix_spawn(&pid, executable, &actions, &attributes, args, env) }
        }
        guard status == 0 else { throw SupervisorError.cannotStart(executable, "posix_spawn failed", status) }
        return ChildProcess(pid: pid)
    }

    /// How the child ended, if it has; reaps it. Never blocks.
    func exitStatus() -> ExitStatus? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { return ExitStatus(waitStatus: status) }
        // ECHILD: already reaped (cannot happen here) — report it as gone.
        if result < 0, errno == ECHILD { return .exited(0) }
        return nil
    }

    /// Sends `signal` to the child's whole process group.
    func send(_ signal: Int32) {
        _ = kill(-pid, signal)
    }

}

/// How a child process ended.
enum ExitStatus: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    /// Decodes a `waitpid` status (the W* macros are not imported into Swift;
    /// this is their glibc definition).
    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    var description: String {
        switch self {
        case .exited(let code): "status \(code)"
        case .signalled(let signal): "signal \(signal) (\(String(cString: strsignal(signal))))"
        }
    }
}

/// Calls `body` with a NULL-terminated C array of `strings`, valid only during the call.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
