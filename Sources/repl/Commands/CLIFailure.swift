import ArgumentParser

/// Fatal errors of a subcommand: printed as `error: message` on stderr, exit status 1.
enum CLIFailure {
    static func exit(_ message: String) -> ExitCode {
        OutputChannel.standardError.write("error: \(message)\n")
        OutputChannel.standardError.flush()
        return ExitCode(1)
    }
}
