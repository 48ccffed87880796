import Database
import Foundation
import Store
import Testing

/// `observation_progress` as a work queue, on a real database: registering,
/// leases, completing, failing and counting.
@Suite struct ProgressStoreTests {
    @Test func registerProgressIsIdempotent() throws {
        let fixture = try RuntimeFixture.make()
        let id = try RuntimeFixture.insertObservation(fixture.store, runID: fixture.runID)
        let landed = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try fixture.store.registerProgress(runID: fixture.runID, observationID: id, landedAt: landed))
        #expect(try !fixture.store.registerProgress(runID: fixture.runID, observationID: id))
        let record = try fixture.progress(id)
        #expect(record.status == .ingested)
        #expect(abs(record.landedAt.timeIntervalSince(landed)) < 0.001)  // the first registration's
        #expect(record.attempts == 0 && record.leaseOwner == nil)
    }

    @Test func aLiveLeaseKeepsOtherOwnersOut() throws {
        let fixture = try RuntimeFixture.make()
        let id = try fixture.addObservations(1)[0]
        let (store, run) = (fixture.store, fixture.runID)
        #expect(try store.claim(runID: run, observationID: id, status: .ingested, owner: "a-1", lease: .seconds(60)))
        #expect(try !store.claim(runID: run, observationID: id, status: .ingested, owner: "b-1", lease: .seconds(60)))
        // The owner may claim again: a retry refreshes its lease.
        #expect(try store.claim(runID: run, observationID: id, status: .ingested, owner: "a-1", lease: .seconds(60)))
        // An item at another status is not there to take.
        #expect(try !store.claim(runID: run, observationID: id, status: .preprocessed, owner: "a-1", lease: .seconds(60)))
        let record = try fixture.progress(id)
        #expect(record.leaseOwner == "a-1")
        #expect(record.leaseUntil.map { $0 > Date() } == true)
        #expect(try store.claimNext(runID: run, status: .ingested, owner: "b-1", lease: .seconds(60)).isEmpty)
    }

    @Test func anExpiredLeaseCanBeReclaimed() throws {
        let fixture = try RuntimeFixture.make()
        let ids = try fixture.addObservations(2)
        try fixture.lease(ids[0], to: "crashed-1", expired: true)
        try fixture.lease(ids[1], to: "crashed-1", expired: true)
        let (store, run) = (fixture.store, fixture.runID)
        #expect(try store.claim(runID: run, observationID: ids[0], status: .ingested, owner: "b-1", lease: .seconds(60)))
        #expect(try store.claimNext(runID: run, status: .ingested, owner: "c-1", lease: .seconds(60)) == [ids[1]])
        #expect(try fixture.progress(ids[1]).leaseOwner == "c-1")
    }

    @Test func claimNextTakesTheOldestFirstUpToTheLimit() throws {
        let fixture = try RuntimeFixture.make()
        let ids = try fixture.addObservations(4)
        let (store, run) = (fixture.store, fixture.runID)
        #expect(try store.claimNext(runID: run, status: .ingested, owner: "a-1", lease: .seconds(60), limit: 2)
                == Array(ids[0..<2]))
        #expect(try store.claimNext(runID: run, status: .ingested, owner: "b-1", lease: .seconds(60), limit: 5)
                == Array(ids[2..<4]))
        #expect(try store.claimNext(runID: run, status: .ingested, owner: "c-1", lease: .seconds(60)).isEmpty)
        // Its own leases are the owner's to take again (a restarted instance).
        #expect(try store.claimNext(runID: run, status: .ingested, owner: "a-1", lease: .seconds(60), limit: 5)
                == Array(ids[0..<2]))
    }

    /// A row another transaction has locked is skipped, not waited for: the
    /// lock timeout turns a wait into an error instead of a hang.
    @Test func claimNextSkipsRowsLockedByAnotherTransaction() throws {
        let fixture = try RuntimeFixture.make()
        let ids = try fixture.addObservations(2)
        let other = try fixture.connect()
        try fixture.store.connection.execute("SET lock_timeout = '30s'")
        try other.connection.transaction { connection in
            _ = try connection.query(
                "SELECT 1 FROM observation_progress WHERE run_id = $1 AND observation_id = $2 FOR UPDATE",
                [fixture.runID, ids[0]])
            let claimed = try fixture.store.claimNext(runID: fixture.runID, status: .ingested, owner: "a-1",
                                                      lease: .seconds(60))
            #expect(claimed == [ids[1]])
        }
        #expect(try fixture.progress(ids[0]).leaseOwner == nil)
    }

    /// Two instances claiming at once from their own connections never get
    /// the same item, and between them they take every item.
    @Test func concurrentClaimersNeverShareAnItem() async throws {
        let fixture = try RuntimeFixture.make()
        let ids = try fixture.addObservations(60)
        let (url, run) = (fixture.url, fixture.runID)
        let claims = try await withThrowingTaskGroup(of: [UUID].self) { group in
            for owner in ["a-1", "b-1", "c-1"] {
                group.addTask {
                    let store = PipelineStore(connection: try DatabaseConnection(url: url))
                    var mine: [UUID] = []
                    // Like a stage: claim, then advance, so the owner's own lease
                    // (which it may claim again) does not come back.
                    while let id = try store.claimNext(runID: run, status: .ingested, owner: owner,
                                                       lease: .seconds(60)).first {
                        mine.append(id)
                        guard try store.complete(runID: run, observationID: id, status: .preprocessed, owner: owner)
                        else { throw FixtureError("\(owner) lost \(id)") }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [[UUID]]()) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == ids.count)
        #expect(Set(all) == Set(ids))
    }

    @Test func completeWithALostLeaseChangesNothing() throws {
        let fixture = try RuntimeFixture.make()
        let id = try fixture.addObservations(1)[0]
        let (store, run) = (fixture.store, fixture.runID)
        #expect(try store.claim(runID: run, observationID: id, status: .ingested, owner: "a-1", lease: .seconds(60)))
        try fixture.lease(id, to: "a-1", expired: true)
        #expect(try store.claim(runID: run, observationID: id, status: .ingested, owner: "b-1", lease: .seconds(60)))
        #expect(try !store.complete(runID: run, observationID: id, status: .preprocessed, owner: "a-1"))
        #expect(try fixture.progress(id).status == .ingested)
        #expect(try fixture.observationStatus(id).status == "ingested")
        #expect(try store.complete(runID: run, observationID: id, status: .preprocessed, owner: "b-1"))
        let record = try fixture.progress(id)
        #expect(record.status == .preprocessed && record.leaseOwner == nil && record.leaseUntil == nil)
        #expect(try fixture.observationStatus(id).status == "preprocessed")
    }

    @Test func failMarksTheItemAndMirrorsALiveRun() throws {
        let fixture = try RuntimeFixture.make(kind: .live)
        let id = try fixture.addObservations(1)[0]
        let (store, run) = (fixture.store, fixture.runID)
        #expect(try store.claim(runID: run, observationID: id, status: .ingested, owner: "a-1", lease: .seconds(60)))
        #expect(try store.fail(runID: run, observationID: id, stage: "preprocess", error: "no stars"))
        let record = try fixture.progress(id)
        #expect(record.status == .failed)
        #expect(record.failedStage == "preprocess")
        #expect(record.error == "no stars")
        #expect(record.attempts == 1)
        #expect(record.leaseOwner == nil && record.leaseUntil == nil)
        let observation = try fixture.observationStatus(id)
        #expect(observation.status == "failed" && observation.error == "no stars")
    }

    /// A replay processes the night's observations again; its progress must
    /// never touch the observations' own status.
    @Test func aReplayLeavesObservationsAlone() throws {
        let fixture = try RuntimeFixture.make(kind: .live)
        let ids = try fixture.addObservations(2)
        let store = fixture.store
        let replay = try store.createRun(kind: .replay, codeVersion: "test", parent: fixture.runID)
        for id in ids { try store.registerProgress(runID: replay, observationID: id) }
        #expect(try store.complete(runID: replay, observationID: ids[0], status: .preprocessed))
        #expect(try store.fail(runID: replay, observationID: ids[1], stage: "preprocess", error: "replayed failure"))
        #expect(try fixture.progress(ids[0], run: replay).status == .preprocessed)
        #expect(try fixture.progress(ids[1], run: replay).status == .failed)
        for id in ids {
            let observation = try fixture.observationStatus(id)
            #expect(observation.status == "ingested" && observation.error == nil)
            #expect(try fixture.progress(id).status == .ingested)  // the live run's row
        }
    }

    /// An instance whose lease was taken over must not mark the item failed
    /// under the new owner's feet.
    @Test func failWithALostLeaseChangesNothing() throws {
        let fixture = try RuntimeFixture.make()
        let id = try fixture.addObservations(1)[0]
        let (store, run) = (fixture.store, fixture.runID)
        try fixture.lease(id, to: "b-1", expired: false)
        #expect(try !store.fail(runID: run, observationID: id, stage: "preprocess", error: "late", owner: "a-1"))
        #expect(try fixture.progress(id).status == .ingested)
        #expect(try store.fail(runID: run, observationID: id, stage: "preprocess", error: "owned", owner: "b-1"))
        #expect(try fixture.progress(id).status == .failed)
    }

    @Test func recordAttemptAndReleaseKeepTheStatus() throws {
        let fixture = try RuntimeFixture.make()
        let id = try fixture.addObservations(1)[0]
        let (store, run) = (fixture.store, fixture.runID)
        #expect(try store.claim(runID: run, observationID: id, status: .ingested, owner: "a-1", lease: .seconds(60)))
        #expect(try store.recordAttempt(runID: run, observationID: id, error: "first try"))
        #expect(try !store.release(runID: run, observationID: id, owner: "b-1"))
        #expect(try store.release(runID: run, observationID: id, owner: "a-1"))
        let record = try fixture.progress(id)
        #expect(record.status == .ingested && record.attempts == 1 && record.error == "first try")
        #expect(record.leaseOwner == nil)
        #expect(try store.claim(runID: run, observationID: id, status: .ingested, owner: "b-1", lease: .seconds(60)))
    }

    @Test func queueDepthsCountEachStatusOfTheRun() throws {
        let fixture = try RuntimeFixture.make()
        try fixture.addObservations(3, at: .ingested)
        try fixture.addObservations(2, at: .preprocessed)
        let failed = try fixture.addObservations(1)[0]
        try fixture.store.fail(runID: fixture.runID, observationID: failed, stage: "preprocess", error: "bad")
        let otherRun = try fixture.store.createRun(kind: .replay, codeVersion: "test")
        try fixture.store.registerProgress(runID: otherRun, observationID: failed)
        #expect(try fixture.store.queueDepths(runID: fixture.runID) == [.ingested: 3, .preprocessed: 2, .failed: 1])
        #expect(try fixture.store.queueDepths(runID: otherRun) == [.ingested: 1])
    }
}
