import StageMain

// A thin main: the stage describes itself; StageMain does the rest.
StageCommand<DifferenceStage>.main()
