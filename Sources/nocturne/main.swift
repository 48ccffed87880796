import NocturneCLI

// The operator command. Everything it does lives in NocturneCLI so that tests
// can drive it in-process.
NocturneCommand.main()
