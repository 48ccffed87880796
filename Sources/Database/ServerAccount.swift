import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The unprivileged account that runs `initdb` and `postgres` when this
/// process is root (both refuse to run as root), and the file-system checks
/// and ownership changes that this needs.
struct ServerAccount: Sendable, Equatable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    /// The account called `name`, if it exists.
    static func named(_ name: String) -> ServerAccount? {
        lookup { entry, buffer, result in getpwnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result) }
    }

    /// The account with user id `uid`, if it exists.
    static func withID(_ uid: uid_t) -> ServerAccount? {
        lookup { entry, buffer, result in getpwuid_r(uid, &entry, buffer.baseAddress!, buffer.count, &result) }
    }

    private static func lookup(
        _ call: (inout passwd, UnsafeMutableBufferPointer<CChar>, inout UnsafeMutablePointer<passwd>?) -> Int32
    ) -> ServerAccount? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        let status = buffer.withUnsafeMutableBufferPointer { call(&entry, $0, &result) }
        guard status == 0, result != nil, let name = entry.pw_name else { return nil }
        return ServerAccount(name: String(cString: name), uid: entry.pw_uid, gid: entry.pw_gid)
    }

    /// The first existing directory above `url` that this account may not
    /// pass through (no search permission for it), or nil when all are
    /// passable. Directories that do not exist yet are created passable by
    /// `createPassableDirectories`, so the walk stops at the first missing one.
    func firstBlockedAncestor(of url: URL) -> String? {
        var path = ""
        for component in url.standardizedFileURL.pathComponents.dropLast() where component != "/" {
            path += "/" + component
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            let bit: mode_t = info.st_uid == uid ? S_IXUSR : (info.st_gid == gid ? S_IXGRP : S_IXOTH)
            if info.st_mode & bit == 0 { return path }
        }
        return nil
    }

    /// Creates `url` and any missing parents with mode 0755, so that a
    /// server account can pass through directories this process created.
    static func createPassableDirectories(_ url: URL) throws {
        var path = ""
        for component in url.standardizedFileURL.pathComponents where component != "/" {
            path += "/" + component
            if mkdir(path, 0o755) == 0 {
                chmod(path, 0o755)  // mkdir's mode is masked by the umask
            } else if errno != EEXIST {
                throw fileError("cannot create directory \(path)", errno)
            }
        }
    }

    /// Makes `url` a private directory (mode 0700) owned by `owner`, or by
    /// this process when `owner` is nil, creating it if needed.
    ///
    /// Refuses a symbolic link or a directory that belongs to someone else:
    /// in shared places such as /tmp another user could have planted it.
    static func ensurePrivateDirectory(_ url: URL, owner: ServerAccount?) throws {
        try createPassableDirectories(url.deletingLastPathComponent())
        let path = url.path
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw fileError("cannot create directory \(path)", errno) }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw fileError("cannot inspect \(path)", errno) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw DatabaseError(.embeddedServerFailed, "\(path) exists but is not a directory (or is a symbolic link)")
        }
        let allowed: Set<uid_t> = [geteuid(), owner?.uid ?? geteuid()]
        guard allowed.contains(info.st_uid) else {
            throw DatabaseError(
                .embeddedServerFailed,
                "\(path) belongs to user id \(info.st_uid), not to \(owner?.name ?? "this user"); refusing to put a database there. Remove it or choose another directory")
        }
        if let owner, info.st_uid != owner.uid || info.st_gid != owner.gid {
            guard chown(path, owner.uid, owner.gid) == 0 else {
                throw fileError("cannot give \(path) to user \(owner.name)", errno)
            }
        }
        guard chmod(path, 0o700) == 0 else { throw fileError("cannot make \(path) private", errno) }
    }

    /// Gives a file this process wrote to the account, so the server can manage it.
    func adopt(_ url: URL) throws {
        guard chown(url.path, uid, gid) == 0 else {
            throw Self.fileError("cannot give \(url.path) to user \(name)", errno)
        }
    }

    static func fileError(_ what: String, _ code: Int32) -> DatabaseError {
        DatabaseError(.embeddedServerFailed, "\(what): \(String(cString: strerror(code)))")
    }
}
