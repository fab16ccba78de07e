// swift-tools-version: 6.0
import PackageDescription

/// Tarn: an embedded SQL engine over a versioned columnar lake.
/// Layers (a lower one never imports a higher one):
///   Storage  <  SQL  <  Execution  <  Transforms  <  Planner  <  Tarn (facade)  <  SQLLogicTest  <  repl (`tarn`)
let releaseFlags: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Tarn",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Tarn", targets: ["Tarn"]),
        .executable(name: "tarn", targets: ["repl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLineEdit", path: "Sources/CLineEdit", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        .target(name: "Storage", dependencies: ["CZstd", "CSQLite"], swiftSettings: releaseFlags),
        .target(name: "SQL", dependencies: ["Storage"], swiftSettings: releaseFlags),
        /// A header-only cache prefetch hint for the hash tables' inner loops.
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        .target(name: "Execution", dependencies: ["Storage", "CPrefetch"], swiftSettings: releaseFlags),
        .target(name: "Transforms", dependencies: ["Execution", "Storage"], swiftSettings: releaseFlags),
        .target(name: "Planner", dependencies: ["SQL", "Execution", "Storage", "Transforms"], swiftSettings: releaseFlags),
        .target(name: "Tarn", dependencies: ["Planner", "SQL", "Execution", "Storage", "Transforms"], swiftSettings: releaseFlags),
        /// SQLite's sqllogictest format: parser, runner and reports (`tarn slt` and the corpus tests).
        .target(name: "SQLLogicTest", dependencies: ["Tarn", "Execution", "Storage"], swiftSettings: releaseFlags),
        /// `tarn serve`: the PostgreSQL wire protocol over the facade (never imported by it).
        .target(name: "Server", dependencies: [
            "Tarn", "Planner", "SQL", "Storage", "Execution", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: releaseFlags),
        .executableTarget(name: "repl", dependencies: [
            "Tarn", "SQLLogicTest", "Server", "CLineEdit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], resources: [
            /// `tarn demo`'s pipeline; examples/campaigns/pipeline.sql links here, so there is one copy.
            .copy("Resources/campaign_pipeline.sql"),
        ], swiftSettings: releaseFlags),
        /// Drives the lake from a separate process for the crash (kill -9) and concurrency tests.
        .executableTarget(name: "lake-stress", dependencies: ["Storage"], swiftSettings: releaseFlags),
        /// Fuzz targets (SQL text, data files, JSON, CSV, Parquet, the wire protocol) and a deterministic mutation fuzzer; see docs/RELIABILITY.md.
        .target(name: "Fuzzing", dependencies: ["Tarn", "Execution", "Storage", "Server"], swiftSettings: releaseFlags),
        /// `tarn-fuzz TARGET --seconds N`: runs one fuzz target (scripts/fuzz drives it, or libFuzzer).
        .executableTarget(name: "tarn-fuzz", dependencies: ["Fuzzing"], swiftSettings: releaseFlags),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "SQLTests", dependencies: ["SQL"]),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution", "Storage"]),
        .testTarget(name: "TarnTests", dependencies: ["Tarn"]),
        .testTarget(name: "SQLLogicTestTests", dependencies: ["SQLLogicTest", "Tarn"]),
        .testTarget(name: "MMMTests", dependencies: ["Tarn", "Transforms"]),
        .testTarget(name: "IngestTests", dependencies: ["Tarn", "Transforms"]),
        .testTarget(name: "TransformTests", dependencies: ["Tarn"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "Tarn", "Storage", .product(name: "NIOCore", package: "swift-nio"), .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "CLITests", dependencies: ["Tarn", "SQL", "repl"], exclude: ["pty_driver.py"]),
        .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing", "Storage", "Server", "Tarn"]),
    ]
)

// Native Parquet reading (issue 16): the codecs Parquet files use beyond zstd, the reader module, its tests,
// and `read_parquet` in the facade. Appended as separate statements so the target list above stays untouched.
package.targets += [
    .systemLibrary(name: "CSnappy", path: "Sources/CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
    .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .target(name: "Parquet", dependencies: ["Storage", "CZstd", "CSnappy", "CLZ4", "CZlib"], swiftSettings: releaseFlags),
    .testTarget(name: "ParquetTests", dependencies: ["Parquet", "Storage", "Tarn"]),
]
package.targets.first { $0.name == "Tarn" }?.dependencies.append("Parquet")
// COPY INTO t FROM 'folder' FORMAT parquet loads through the same incremental loader as JSON and CSV.
package.targets.first { $0.name == "Transforms" }?.dependencies.append("Parquet")

// Delta Lake interop (issue 17): reading Delta tables (`delta_scan`) and publishing Tarn tables as Delta tables.
// Beside Parquet: imports only Storage and Parquet; the facade wires the SQL surface.
package.targets += [
    .target(name: "Delta", dependencies: ["Storage", "Parquet"], swiftSettings: releaseFlags),
]
package.targets.first { $0.name == "Tarn" }?.dependencies.append("Delta")

// Extraction from PostgreSQL and MySQL / MariaDB (issue 26): the client libraries, the connector module (connects,
// maps types, streams Storage batches; below the facade) and its wiring into `Tarn` (ATTACH, postgres_scan, …).
package.targets += [
    .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
    .systemLibrary(name: "CMariaDB", path: "Sources/CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),
    .target(name: "Connectors", dependencies: ["Storage", "Execution", "Transforms", "CLibPQ", "CMariaDB"], swiftSettings: releaseFlags),
    .testTarget(name: "ConnectorsTests", dependencies: ["Connectors", "Storage", "Tarn"]),
]
package.targets.first { $0.name == "Tarn" }?.dependencies.append("Connectors")

// Dashboards in the browser, schedules, freshness and alerts (issue 19): the HTTP side of `tarn serve`, beside the
// wire protocol (Server never imports it); the repl's serve, run and demo commands use it.
package.targets += [
    .target(name: "Web", dependencies: [
        "Tarn", "Server", "SQL", "Storage", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Crypto", package: "swift-crypto"),
    ], swiftSettings: releaseFlags),
    .testTarget(name: "WebTests", dependencies: ["Web", "Tarn", "Server"]),
]
package.targets.first { $0.name == "repl" }?.dependencies.append("Web")
