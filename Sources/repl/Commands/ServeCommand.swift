import ArgumentParser
import Foundation
import Server
import Tarn

/// `tarn serve LAKE [--port 5432] [--listen 127.0.0.1] [--user NAME --password-env VAR [--read-only-user]]`:
/// serves the lake over the PostgreSQL wire protocol until interrupted.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a lake over the PostgreSQL wire protocol (psql, psycopg, asyncpg, SQLAlchemy).",
        discussion: """
        Clients authenticate with SCRAM-SHA-256 against users stored in the lake's catalog as verifiers. \
        --user NAME --password-env VAR creates or updates that user from the environment variable before \
        listening, so the password never appears on the command line. --trust lets anyone in.

        Examples:
          PW=secret tarn serve mylake --user alice --password-env PW
          psql "host=127.0.0.1 user=alice dbname=tarn" -c 'SELECT 42'

        See docs/SERVER.md.
        """)

    @Argument(help: "The lake directory (created when missing).")
    var lake: String = "./tarn-lake"

    @Option(help: "TCP port (0 picks a free one).")
    var port: Int = 5432

    @Option(help: "Address to listen on.")
    var listen: String = "127.0.0.1"

    @Option(help: "Most connections open at once.")
    var maxConnections: Int = 64

    @Option(help: "Create or update this user before listening (with --password-env).")
    var user: String?

    @Option(help: "Environment variable holding the password for --user.")
    var passwordEnv: String?

    @Flag(help: "Make --user READ ONLY: its writes fail with SQLSTATE 25006.")
    var readOnlyUser = false

    @Flag(help: "Accept every connection without a password (for local experiments only).")
    var trust = false

    @Option(help: "PEM certificate chain: offer TLS on SSLRequest (with --tls-key).")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Flag(name: .customLong("allow-md5"), help: "Offer md5 password authentication (old clients) to users created or changed while this is on.")
    var allowMD5 = false

    @Option(help: "Close a connection idle for this many seconds (FATAL 57P05); default: never.")
    var idleTimeout: Double?

    @Option(help: "A folder whose files connections may read and write (COPY, ATTACH, read_*); repeatable. Default: none.")
    var allowPath: [String] = []

    func validate() throws {
        if let idleTimeout, idleTimeout <= 0 { throw ValidationError("--idle-timeout must be positive") }
        if user != nil, passwordEnv == nil { throw ValidationError("--user needs --password-env VAR") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
    }

    func run() throws {
        let database: Database
        do { database = try Database.open(lake) } catch {
            throw CLIFailure.exit("cannot open lake \(lake): \(ErrorPresenter.message(of: error))")
        }
        var configuration = ServerConfiguration(host: listen, port: port, maxConnections: maxConnections,
                                                authentication: trust ? .trust : .scram)
        configuration.tlsCertificatePath = tlsCert
        configuration.tlsKeyPath = tlsKey
        configuration.idleTimeout = idleTimeout
        configuration.allowedPaths = allowPath
        configuration.allowMD5 = allowMD5
        let server: PostgresServer
        do {
            server = try PostgresServer(database: database, configuration: configuration)
            if let user, let passwordEnv {
                guard let password = ProcessInfo.processInfo.environment[passwordEnv], !password.isEmpty else {
                    throw CLIFailure.exit("environment variable \(passwordEnv) is not set")
                }
                try server.users.setUser(user, password: password, readOnly: readOnlyUser, storeMD5: allowMD5)
            }
            if !trust, try server.users.count() == 0 {
                throw CLIFailure.exit("no users in \(lake): pass --user NAME --password-env VAR (or --trust)")
            }
            try server.start()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIFailure.exit("cannot start the server: \(ErrorPresenter.message(of: error))")
        }
        OutputChannel.standardError.write("tarn serve: listening on \(listen):\(server.port), lake \(lake)\n")
        OutputChannel.standardError.flush()
        try server.wait()
    }
}
