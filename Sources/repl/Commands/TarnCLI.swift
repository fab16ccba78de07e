import ArgumentParser

/// `tarn`: the command-line entry point. Without a subcommand it opens a lake (see `ShellCommand`).
@main
struct TarnCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tarn",
        abstract: "An embedded SQL engine over a versioned columnar lake on local disk.",
        discussion: """
        `tarn [LAKE_DIR]` opens or creates a lake (default ./tarn-lake): an
        interactive shell on a terminal, otherwise it runs the SQL on stdin.
        Shell options: -c SQL, -f FILE, --format FORMAT, --bail, --readonly,
        --memory-limit SIZE, --temp-directory DIR
        (formats: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))).

        Examples:
          tarn demo                        # raw JSON → clean → views → MMM in ./demo-lake
          tarn demo-lake                   # explore it in the SQL shell
          tarn lake -c 'SELECT 42'         # run one statement and exit
          tarn lake -f etl.sql --bail      # run a script, stop at an error
          tarn lake --format csv < q.sql   # results as CSV on stdout
          tarn generate campaigns --rows 100000 --files 20 --out raw/
          tarn slt basic.test --also sqlite
          tarn serve lake --user me --password-env PW   # PostgreSQL protocol on :5432
          tarn check lake                  # verify every data file; --repair moves orphans aside
        """,
        version: TarnVersion.current,
        subcommands: [ShellCommand.self, DemoCommand.self, GenerateCommand.self, SLTCommand.self, RunCommand.self, BenchCommand.self,
                      ServeCommand.self, CheckCommand.self],
        defaultSubcommand: ShellCommand.self
    )
}
