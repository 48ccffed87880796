import Foundation
import Pipelines
import Testing

/// A bad definition is refused with the file and the key at fault.
@Suite struct PipelineValidationTests {
    static let file = "pipelines/bad.yaml"

    func error(_ yaml: String) throws -> PipelineError {
        do {
            _ = try PipelineLoader.load(yaml: yaml, file: Self.file)
        } catch let error as PipelineError {
            return error
        }
        Issue.record("expected an error")
        return PipelineError(file: "", key: "", problem: "")
    }

    @Test func anUnknownTopLevelKeyIsNamed() throws {
        let error = try error("pipeline: p\nstagez: []\nstages:\n  - stage: ingest\n")
        #expect(error.file == Self.file)
        #expect(error.key == "stagez")
        #expect(error.line == 2)
        #expect(error.description.hasPrefix("pipelines/bad.yaml:2: 'stagez': unknown key"))
    }

    @Test func anUnknownStageKeyIsNamedWithItsEntry() throws {
        let error = try error("""
            pipeline: p
            stages:
              - stage: ingest
              - stage: preprocess
                input_port: 5610
                instance: 2
            """)
        #expect(error.key == "stages[1].instance")
        #expect(error.problem.contains("unknown key"))
        #expect(error.line == 6)
    }

    @Test func anUnknownStageIsRefused() throws {
        let error = try error("pipeline: p\nstages:\n  - stage: preproces\n    input_port: 5610\n")
        #expect(error.key == "stages[0].stage")
        #expect(error.problem.contains("unknown stage 'preproces'"))
    }

    @Test func aConsumerWithoutAProducerIsRefused() throws {
        let error = try error("""
            pipeline: p
            stages:
              - stage: ingest
              - stage: preprocess
                input_port: 5610
              - stage: score
                input_port: 5650
            """)
        #expect(error.key == "stages[2].stage")
        #expect(error.problem == "stage 'score' consumes 'embedded' but no stage in the pipeline produces it")
        #expect(error.description.contains(Self.file))
    }

    @Test func twoSocketsOnOnePortOfOneHostAreRefused() throws {
        let error = try error("""
            pipeline: p
            stages:
              - stage: ingest
                metrics_port: 5611
              - stage: preprocess
                instances: 2
                input_port: 5610
            """)
        #expect(error.key == "stages[1].input_port (instance 2)")
        #expect(error.problem == "port 5611 on host 'local' is already used by stages[0].metrics_port (instance 1)")
    }

    @Test func theSamePortOnTwoHostsIsFine() throws {
        let definition = try PipelineLoader.load(yaml: """
            pipeline: p
            hosts: {a: 10.0.0.1, b: 10.0.0.2}
            stages:
              - {stage: ingest, host: a}
              - {stage: preprocess, host: a, input_port: 5610}
              - {stage: preprocess, host: b, input_port: 5610}
            """, file: Self.file)
        #expect(definition.stages.count == 3)
    }

    @Test func hostsAreCheckedAndRequiredWhenThereAreSeveral() throws {
        let unknown = try error("pipeline: p\nhosts: {a: 10.0.0.1}\nstages:\n  - {stage: ingest, host: b}\n")
        #expect(unknown.key == "stages[0].host")
        #expect(unknown.problem.contains("unknown host 'b'"))
        let missing = try error("pipeline: p\nhosts: {a: 10.0.0.1, b: 10.0.0.2}\nstages:\n  - {stage: ingest}\n")
        #expect(missing.key == "stages[0].host")
    }

    @Test func kindSpecificKeysAreChecked() throws {
        #expect(try error("pipeline: p\nstages:\n  - {stage: ingest, input_port: 5600}\n").key == "stages[0].input_port")
        #expect(try error("pipeline: p\nstages:\n  - {stage: ingest}\n  - {stage: preprocess}\n").key
            == "stages[1].input_port")
        #expect(try error("pipeline: p\nstages:\n  - {stage: ingest, publish: 'tcp://*:5670'}\n").key
            == "stages[0].publish")
        #expect(try error("pipeline: p\nstages:\n  - {stage: ingest, instances: 0}\n").key == "stages[0].instances")
        #expect(try error("pipeline: p\nstages:\n  - {stage: ingest, config: 3}\n").key == "stages[0].config")
        #expect(try error("pipeline: p\nstages: []\n").key == "stages")
        #expect(try error("stages:\n  - {stage: ingest}\n").key == "pipeline")
    }

    @Test func aFileThatIsNotYAMLNamesTheFile() throws {
        let error = try error("pipeline: [unclosed\n")
        #expect(error.file == Self.file)
        #expect(error.problem.contains("not valid YAML"))
    }
}
