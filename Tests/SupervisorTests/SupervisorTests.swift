import Foundation
import Pipelines
import Supervisor
import Testing

/// The supervisor against stand-in scripts: no real stages, no database.
@Suite struct SupervisorTests {
    @Test func aCrashingChildIsRestartedWithDoublingBackoffAndReported() throws {
        let standIns = try StandIns()
        try standIns.script(.preprocess, "echo \"started $*\"; exit 1")
        let supervisor = Supervisor(launches: [standIns.launch(.preprocess, "preprocess-2", arguments: ["--instance", "preprocess-2"])],
                                    options: standIns.options(), console: standIns.console)
        let started = ContinuousClock.now
        // Stop once the second restart has happened: 1 s, then 2 s of backoff.
        let outcome = try supervisor.run { restarts in restarts >= 2 ? .stop : .keepRunning }
        let elapsed = ContinuousClock.now - started
        #expect(outcome == .finished)
        #expect(standIns.said.contains("preprocess-2 exited with status 1; restart 1 in 1 s"))
        #expect(standIns.said.contains("preprocess-2 exited with status 1; restart 2 in 2 s"))
        #expect(elapsed >= .seconds(3))
        // Three starts, each announced in the log; the last may be stopped before it prints.
        let log = standIns.log("preprocess-2")
        #expect(log.components(separatedBy: "nocturne run: starting").count - 1 == 3)
        #expect(log.components(separatedBy: "started --instance preprocess-2").count - 1 >= 2)
    }

    @Test func itGivesUpAfterMaxRestartsNamingTheInstanceAndItsLog() throws {
        let standIns = try StandIns()
        try standIns.script(.difference, "exit 3")
        try standIns.script(.extract, "trap 'exit 0' TERM; while :; do sleep 0.05; done")
        let supervisor = Supervisor(
            launches: [standIns.launch(.difference, "difference-1"), standIns.launch(.extract, "extract-1")],
            options: standIns.options(restart: RestartPolicy(maxRestarts: 2, base: .milliseconds(50))),
            console: standIns.console)
        let outcome = try supervisor.run()
        let log = standIns.logDirectory.appendingPathComponent("difference-1.log")
        #expect(outcome == .gaveUp(instance: "difference-1", log: log))
        #expect(standIns.said.contains("difference-1 exited with status 3; restart 1 in 0.05 s"))
        #expect(standIns.said.contains("difference-1 exited with status 3; restart 2 in 0.1 s"))
        #expect(standIns.said.contains("difference-1 exited 3 times within 600 s (last with status 3); giving up"))
        #expect(standIns.said.contains(log.path))
        // The healthy instance was stopped with the rest.
        #expect(standIns.said.contains("stopping 1 process(es)"))
    }

    @Test func aStopSendsSIGTERMWhichTheChildsTrapSees() throws {
        let standIns = try StandIns()
        try standIns.script(.alert, """
            trap 'echo "trap saw TERM"; exit 0' TERM
            echo "ready db=$NOCTURNE_DATABASE_URL args=$*"
            while :; do sleep 0.05; done
            """)
        let supervisor = Supervisor(
            launches: [standIns.launch(.alert, "alert-1", arguments: ["--run-id", "r"],
                                       environment: ["NOCTURNE_DATABASE_URL": "postgresql://stand-in/db"])],
            options: standIns.options(), console: standIns.console)
        let outcome = try supervisor.run { _ in
            if standIns.log("alert-1").contains("ready") { supervisor.requestStop() }
            return .keepRunning
        }
        #expect(outcome == .stopped)
        let log = standIns.log("alert-1")
        #expect(log.contains("ready db=postgresql://stand-in/db args=--run-id r"))
        #expect(log.contains("trap saw TERM"))
        #expect(!standIns.said.contains("restart"))
    }

    @Test func aChildThatIgnoresSIGTERMIsKilledAfterTheGracePeriod() throws {
        let standIns = try StandIns()
        try standIns.script(.score, "trap '' TERM; echo ready; while :; do sleep 0.05; done")
        let supervisor = Supervisor(launches: [standIns.launch(.score, "score-1")],
                                    options: standIns.options(grace: .milliseconds(500)), console: standIns.console)
        let outcome = try supervisor.run { _ in
            standIns.log("score-1").contains("ready") ? .stop : .keepRunning
        }
        #expect(outcome == .finished)
        #expect(standIns.said.contains("score-1 did not stop within 0.5 s; killing it"))
    }

    @Test func aMissingExecutableIsNamedBeforeAnythingStarts() throws {
        let standIns = try StandIns()
        try standIns.script(.ingest, "exit 0")
        let supervisor = Supervisor(launches: [standIns.launch(.ingest, "ingest-1"), standIns.launch(.embed, "embed-1")],
                                    options: standIns.options(), console: standIns.console)
        let error = #expect(throws: SupervisorError.self) { try supervisor.run() }
        #expect(error?.description.contains("no executable nocturne-embed in \(standIns.binDirectory.path)") == true)
        #expect(standIns.log("ingest-1").isEmpty)
    }

    @Test func theRestartPolicyDoublesUpToItsCeilingAndForgetsOldExits() {
        let policy = RestartPolicy()
        #expect((1...7).map { policy.delay(before: $0) }
            == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30)])
        var exits: [ContinuousClock.Instant] = []
        let start = ContinuousClock.now
        for minute in 0..<5 { _ = policy.decide(exits: &exits, now: start + .seconds(minute)) }
        #expect(policy.decide(exits: &exits, now: start + .seconds(10)) == .giveUp(exits: 6))
        // Eleven minutes later the old exits no longer count.
        #expect(policy.decide(exits: &exits, now: start + .seconds(700)) == .restart(number: 1, delay: .seconds(1)))
    }
}
