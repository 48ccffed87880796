import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with `posix_spawn`, capturing its output.
///
/// Not `Foundation.Process`: that waits until the child's stdout/stderr pipe
/// closes, and `pg_ctl start` leaves a daemon holding it, so it never returns.
/// Here the child gets stdin from /dev/null, stdout and stderr into an
/// unlinked temporary file, and every other inherited descriptor closed (so
/// a daemon it starts holds none of ours: sockets, lock files, pipes).
struct Subprocess {
    /// How a run ended.
    struct Outcome: Sendable {
        /// Exit status; 128 + signal number if killed by a signal.
        let status: Int32
        /// stdout and stderr, interleaved as written.
        let output: String

        var succeeded: Bool { status == 0 }
    }

    /// Runs `executable` (an absolute path) with `arguments` and waits for it.
    ///
    /// - Parameters:
    ///   - workingDirectory: the child's current directory (nil keeps ours).
    ///   - environment: the child's whole environment.
    /// - Throws: an error naming the program when it cannot be started.
    static func run(
        _ executable: String, _ arguments: [String], workingDirectory: String? = nil,
        environment: [String: String]
    ) throws -> Outcome {
        // In the temporary folder (TMPDIR when set); the name never shows.
        let folder = FileManager.default.temporaryDirectory.path
        var template = Array("\(folder)/nocturne-run-XXXXXX".utf8CString)
        let captureFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard captureFD >= 0 else { throw failure(executable, "cannot create an output file", errno) }
        // The open descriptor keeps the file alive; unlinking now leaves nothing behind.
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        defer { close(captureFD) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, captureFD, 1)
        posix_spawn_file_actions_adddup2(&actions, captureFD, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        SpawnActions.closeInheritedDescriptors(&actions)
        if let workingDirectory {
            guard let addChdir = SpawnExtensions.addChdir else {
                throw failure(executable, "posix_spawn_file_actions_addchdir_np is missing (glibc < 2.29)", 0)
            }
            _ = addChdir(&actions, workingDirectory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Start the child with no blocked signals and default handlers: an
        // ignored SIGPIPE or blocked SIGTERM in this process must not leak into a server.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = [executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid = pid_t()
        let spawned = withCStrings(argv + [nil]) { args in
            withCStrings(envp + [nil]) { env in
                posix_spawn(
                    &pid, executable, &actions, &attributes,
                    args.map { UnsafeMutablePointer(mutating: $0) },
                    env.map { UnsafeMutablePointer(mutating: $0) })
            }
        }
        guard spawned == 0 else { throw failure(executable, "cannot start it", spawned) }
        let status = wait(for: pid)
        return Outcome(status: status, output: readAll(captureFD))
    }

    /// The environment for PostgreSQL's tools: ours without `PG*` variables
    /// (they would redirect the tools), with the C locale for stable messages.
    static func toolEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_ALL"] = "C"
        environment["LANG"] = "C"
        if environment["PATH"] == nil { environment["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" }
        return environment
    }

    /// Finds `name` in `PATH` and the usual system directories.
    static func find(_ name: String, extraDirectories: [String] = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + extraDirectories
        return directories.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    private static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        // The W* macros are not imported into Swift; this is their glibc definition.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func readAll(_ fd: Int32) -> String {
        lseek(fd, 0, SEEK_SET)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[0..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func failure(_ executable: String, _ what: String, _ code: Int32) -> DatabaseError {
        let reason = code == 0 ? "" : ": \(String(cString: strerror(code)))"
        return DatabaseError(.embeddedServerFailed, "\(executable): \(what)\(reason)")
    }
}

/// Spawn file actions every child of ours needs (the embedded server's
/// tools here, the supervisor's stages): a child must not inherit our
/// descriptors, or a daemon keeps a parent's pipe open and the parent waits
/// forever.
public enum SpawnActions {
    /// Closes every descriptor above stderr in the child: with
    /// `closefrom` when glibc has it (2.34+), else each one open now.
    public static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom = SpawnExtensions.addCloseFrom {
            _ = addCloseFrom(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
            // Skip descriptors already closed on exec: closing them again is harmless but may fail.
            if fcntl(fd, F_GETFD) & FD_CLOEXEC == 0 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
    }
}

/// glibc's GNU spawn extensions, looked up at run time: Swift's Glibc module
/// is built without `_GNU_SOURCE`, so their declarations are not visible.
private enum SpawnExtensions {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32

    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
