import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension EmbeddedPostgres {
    /// The account to run the server as: nil when this process is not root
    /// (it runs as us); as root, the owner of an existing cluster, else `postgres`.
    func serverAccount(for layout: ClusterLayout?) throws -> ServerAccount? {
        guard geteuid() == 0 else { return nil }
        if let layout, layout.isInitialized {
            var info = stat()
            if stat(layout.dataDirectory.path, &info) == 0, info.st_uid != 0,
                let owner = ServerAccount.withID(info.st_uid)
            {
                return owner
            }
        }
        guard let account = ServerAccount.named(Self.superuser) else {
            throw DatabaseError(
                .embeddedServerFailed,
                "running as root, but PostgreSQL's initdb and postgres refuse root and there is no 'postgres' account to run them as. Install the postgresql package (it creates the account), run as an ordinary user, or set NOCTURNE_DATABASE_URL")
        }
        return account
    }

    /// Decides where the files go (keeping a recorded cluster where it is),
    /// creates the private directories and records the layout.
    func prepareLayout(account: ServerAccount?) throws -> ClusterLayout {
        let layout: ClusterLayout
        if let recorded = ClusterLayout.recorded(in: directory), recorded.isInitialized {
            layout = recorded
        } else {
            layout = ClusterLayout.plan(directory: directory, port: port, account: account)
        }
        if let relocation = layout.relocation, layout.home != directory {
            logger?.warning(
                "embedded PostgreSQL files moved",
                metadata: ["to": "\(layout.home.path)", "because": "\(relocation)"])
        }
        try ServerAccount.ensurePrivateDirectory(layout.home, owner: account)
        if layout.socketDirectory != layout.home {
            try ServerAccount.ensurePrivateDirectory(layout.socketDirectory, owner: account)
        }
        try layout.record(in: directory)
        return layout
    }

    /// Runs `initdb` and makes `postgresql.conf` include the settings file
    /// that `launch` rewrites at each start.
    func initialize(_ layout: ClusterLayout, account: ServerAccount?) throws {
        logger?.info("initializing embedded PostgreSQL", metadata: ["data": "\(layout.dataDirectory.path)"])
        var arguments = [
            "-D", layout.dataDirectory.path, "-U", Self.superuser, "-A", "trust", "-E", "UTF8", "--locale=C",
        ]
        if settings["fsync"] == "off" { arguments.append("--no-sync") }
        let outcome = try runTool("initdb", arguments, layout: layout, account: account)
        guard outcome.succeeded else {
            throw failure(
                "initdb failed in \(layout.dataDirectory.path) (if a half-made data folder is left, remove it and retry)",
                outcome, layout)
        }
        let config = layout.dataDirectory.appendingPathComponent("postgresql.conf")
        do {
            let handle = try FileHandle(forWritingTo: config)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n# Added by Nocturne: socket and settings, rewritten at each start.\ninclude_if_exists = 'nocturne.conf'\n".utf8))
        } catch {
            throw DatabaseError(.embeddedServerFailed, "cannot extend \(config.path): \(error)")
        }
    }

    /// Starts the server with `pg_ctl start -w`. Retries briefly when the
    /// previous server was killed and its children still hold its shared memory.
    func launch(_ layout: ClusterLayout, account: ServerAccount?) throws {
        try writeSettings(layout, account: account)
        removeStaleLockFiles(layout)
        logger?.info("starting embedded PostgreSQL", metadata: ["socket": "\(layout.socketPath)"])
        let arguments = [
            "start", "-D", layout.dataDirectory.path, "-l", layout.logFile.path, "-w", "-t", "120",
        ]
        for attempt in 1...5 {
            let outcome = try runTool("pg_ctl", arguments, layout: layout, account: account)
            if outcome.succeeded || runningPID(layout) != nil { return }
            let stillInUse = logTail(layout).contains("is still in use")
            if attempt < 5, stillInUse {
                usleep(1_000_000)
                continue
            }
            throw failure("pg_ctl start failed", outcome, layout)
        }
    }

    /// Writes `nocturne.conf` next to `postgresql.conf`: Unix socket only, in
    /// the layout's socket directory, plus `settings`.
    private func writeSettings(_ layout: ClusterLayout, account: ServerAccount?) throws {
        func quoted(_ value: String) -> String { "'\(value.replacingOccurrences(of: "'", with: "''"))'" }
        var lines = [
            "# Written by Nocturne at each start of the embedded server; changes here are overwritten.",
            "listen_addresses = ''",
            "port = \(layout.port)",
            "unix_socket_directories = \(quoted(layout.socketDirectory.path))",
        ]
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            guard key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }),
                !value.contains("\n")
            else {
                throw DatabaseError(.invalidArgument, "invalid PostgreSQL setting \(key) for the embedded server")
            }
            lines.append("\(key) = \(quoted(value))")
        }
        let url = layout.dataDirectory.appendingPathComponent("nocturne.conf")
        do {
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: false, encoding: .utf8)
        } catch {
            throw DatabaseError(.embeddedServerFailed, "cannot write \(url.path): \(error)")
        }
        try account?.adopt(url)
    }

    /// Runs one of PostgreSQL's programs, as `account` through `runuser` when given.
    func runTool(
        _ tool: String, _ arguments: [String], layout: ClusterLayout, account: ServerAccount?
    ) throws -> Subprocess.Outcome {
        let program = "\(try PostgresBinaries.located().directory)/\(tool)"
        let environment = Subprocess.toolEnvironment()
        guard let account else {
            return try Subprocess.run(program, arguments, workingDirectory: layout.home.path, environment: environment)
        }
        guard let runuser = Subprocess.find("runuser") else {
            throw DatabaseError(
                .embeddedServerFailed,
                "running as root needs runuser (util-linux) to start PostgreSQL as user \(account.name); install util-linux or set NOCTURNE_DATABASE_URL")
        }
        return try Subprocess.run(
            runuser, ["-u", account.name, "--", program] + arguments,
            workingDirectory: layout.home.path, environment: environment)
    }

    /// The postmaster's process id if one runs on the cluster, judged from
    /// `postmaster.pid`; nil for a pid file left by a crash or `kill -9`.
    func runningPID(_ layout: ClusterLayout) -> Int32? {
        let pidFile = layout.dataDirectory.appendingPathComponent("postmaster.pid")
        guard let pid = Self.pid(inLockFile: pidFile.path), isPostmaster(pid, of: layout) else { return nil }
        return pid
    }

    /// Whether `pid` is a live (not zombie) `postgres` process serving this
    /// cluster's data directory.
    ///
    /// PostgreSQL itself only asks `kill(pid, 0)`, which also succeeds for a
    /// zombie: a killed server whose parent (often PID 1 in a container) does
    /// not reap it, or for an unrelated process that got the pid. /proc tells
    /// these apart: state, name, and the postmaster's working directory, which
    /// is its data directory.
    func isPostmaster(_ pid: Int32, of layout: ClusterLayout) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
        else { return true }  // no /proc: trust kill()
        let name = stat[stat.index(after: open)..<close]
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        guard name == "postgres" || name == "postmaster", state != "Z", state != "X" else { return false }
        guard let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else {
            return true  // not allowed to look: name and state will do
        }
        let dataDirectory = layout.dataDirectory.resolvingSymlinksInPath().path
        return URL(fileURLWithPath: cwd).resolvingSymlinksInPath().path == dataDirectory
    }

    /// Removes `postmaster.pid` and the socket's lock file when the process
    /// they name is gone but cannot be told apart from a live one by
    /// PostgreSQL (a zombie): otherwise it refuses to start.
    func removeStaleLockFiles(_ layout: ClusterLayout) {
        let lockFiles = [
            layout.dataDirectory.appendingPathComponent("postmaster.pid").path, "\(layout.socketPath).lock",
        ]
        for path in lockFiles {
            guard let pid = Self.pid(inLockFile: path), !isPostmaster(pid, of: layout) else { continue }
            logger?.warning("removing a stale lock file of a dead server", metadata: ["file": "\(path)", "pid": "\(pid)"])
            unlink(path)
        }
    }

    /// The process id on the first line of a PostgreSQL lock file.
    private static func pid(inLockFile path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }

    /// The last lines of the server log.
    func logTail(_ layout: ClusterLayout, lines: Int = 15) -> String {
        guard let text = try? String(contentsOf: layout.logFile, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    func failure(_ what: String, _ outcome: Subprocess.Outcome, _ layout: ClusterLayout) -> DatabaseError {
        var message = "\(what) (exit status \(outcome.status))"
        let output = outcome.output.split(separator: "\n").suffix(15).joined(separator: "\n")
        if !output.isEmpty { message += ":\n\(output)" }
        let log = logTail(layout)
        if !log.isEmpty { message += "\nend of \(layout.logFile.path):\n\(log)" }
        return DatabaseError(.embeddedServerFailed, message, server: "embedded cluster at \(directory.path)")
    }
}
