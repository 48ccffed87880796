import Database
import Foundation
@testable import StageRuntime
import Store
import Testing

/// A database outage, made real without stopping the shared test server:
/// the test's database refuses new connections (`ALLOW_CONNECTIONS false`,
/// which the server reports as a failed connection) and the stage's open
/// connection is terminated, as a server restart would. The test's own
/// connection, opened before, keeps working.
@Suite struct OutageTests {
    @Test func aStageWaitsOutAnOutageAndCompletes() async throws {
        let fixture = try RuntimeFixture.make()
        let downstream = try Downstream()
        let worker = ToyWorker.first("toy-outage")
        let stage = try RunningStage(worker: worker, configuration: fixture.configuration(
            stage: "toy-outage", outputs: [downstream.endpoint]))
        let upstream = try Upstream(to: try await stage.inputEndpoint())
        try await stage.waitUntil("the rescan at start") { $0.lastRescanAt != nil }

        try fixture.refuseConnections(true)
        defer { try? fixture.refuseConnections(false) }
        try fixture.terminateOtherConnections()
        let id = try fixture.addObservations(1)[0]
        try upstream.send(fixture.message(id))
        try await stage.waitUntil("the stage to wait for its database") { $0.state == .waitingForDatabase }
        #expect(try fixture.progress(id).status == .ingested)
        #expect(worker.calls.count(id) == 0)

        try fixture.refuseConnections(false)
        #expect(try await downstream.next().observationID == id)
        let record = try fixture.progress(id)
        #expect(record.status == .preprocessed)
        #expect(record.attempts == 0)  // a lost connection is not the item's fault
        #expect(stage.snapshot.state == .ok)
        try await stage.stop()
        #expect(stage.snapshot.itemsDone == 1 && stage.snapshot.itemsFailed == 0)
    }

    /// A stage started while its database is away waits (reporting it) and
    /// starts working once the database answers; a stop meanwhile ends the wait.
    @Test func aStageStartedWithoutItsDatabaseWaits() async throws {
        let fixture = try RuntimeFixture.make()
        let id = try fixture.addObservations(1)[0]
        try fixture.refuseConnections(true)
        defer { try? fixture.refuseConnections(false) }
        let downstream = try Downstream()
        let stage = try RunningStage(worker: ToyWorker.first("toy-late-db"), configuration: fixture.configuration(
            stage: "toy-late-db", input: nil, outputs: [downstream.endpoint]))
        let waiting = try RunningStage(worker: ToyWorker.first("toy-never-db"), configuration: fixture.configuration(
            stage: "toy-never-db", input: nil))
        // Nothing to observe but the report: both wait before anything else.
        #expect(stage.snapshot.state == .waitingForDatabase)
        try await waiting.stop()  // ends its wait for the database
        #expect(waiting.snapshot.state == .stopped)

        try fixture.refuseConnections(false)
        #expect(try await downstream.next().observationID == id)
        try await stage.stop()
    }

    /// What counts as a lost connection (waited out) and what does not
    /// (the item's own failure), on real libpq errors.
    @Test func connectionErrorsAreToldApartFromOthers() throws {
        let fixture = try RuntimeFixture.make()
        let refused = #expect(throws: DatabaseError.self) {
            try DatabaseConnection(url: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=5")
        }
        #expect(refused.map(DatabaseLink.isConnectionFailure) == true)

        let syntax = #expect(throws: DatabaseError.self) { try fixture.store.connection.execute("SELEC 1") }
        #expect(syntax.map(DatabaseLink.isConnectionFailure) == false)
        #expect(!DatabaseLink.isConnectionFailure(ToyFailure(observation: UUID())))

        let victim = try fixture.connect()
        try fixture.terminateOtherConnections()
        let lost = #expect(throws: DatabaseError.self) { try victim.connection.execute("SELECT 1") }
        #expect(lost.map(DatabaseLink.isConnectionFailure) == true)

        try fixture.refuseConnections(true)
        defer { try? fixture.refuseConnections(false) }
        let away = #expect(throws: DatabaseError.self) { try fixture.connect() }
        #expect(away.map(DatabaseLink.isConnectionFailure) == true)
    }
}

extension RuntimeFixture {
    /// Makes the test's database refuse (or accept again) new connections.
    /// PostgreSQL refuses this for the current database, so it is done
    /// from the server's `postgres` database.
    func refuseConnections(_ refuse: Bool) throws {
        let name = try store.connection.query("SELECT current_database() AS name")[0].decode(String.self, "name")
        let admin = try DatabaseConnection(url: Self.url(url, database: "postgres"))
        defer { admin.close() }
        try admin.execute("ALTER DATABASE \"\(name)\" ALLOW_CONNECTIONS \(refuse ? "false" : "true")")
    }

    /// `url` (a URL or a `key=value` string) pointed at another database.
    static func url(_ url: String, database: String) -> String {
        if url.contains("://"), var components = URLComponents(string: url) {
            components.path = "/\(database)"
            if let text = components.string { return text }
        }
        return "\(url) dbname=\(database)"
    }

    /// Ends every other session on the test's database, as a server restart would.
    /// Returns once they are gone (termination is a signal the backend
    /// handles in its own time).
    func terminateOtherConnections() throws {
        let others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        try store.connection.execute("SELECT pg_terminate_backend(pid) \(others)")
        let deadline = ContinuousClock.now + patience
        while try store.connection.query("SELECT count(*) AS n \(others)")[0].decode(Int.self, "n") > 0 {
            guard ContinuousClock.now < deadline else { throw FixtureError("sessions outlived their termination") }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
