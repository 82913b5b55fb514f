import HyokaApp

await HyokaCommand.runFromCommandLine()
