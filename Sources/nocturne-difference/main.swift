import StageMain
