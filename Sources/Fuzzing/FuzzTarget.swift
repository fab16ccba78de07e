/// The surfaces the fuzzers attack; `scripts/fuzz TARGET` and `tarn-fuzz TARGET` take these names.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// SQL text: lexer → parser → binder → planner → execution on a small read-only lake.
    case sql
    /// The bytes of a Tarn data file: reading must give an error or exactly the rows written, never a crash.
    case datafile
    /// A JSON / NDJSON landing file read through `read_json`.
    case json
    /// A CSV landing file read through `read_csv`.
    case csv
    /// A Parquet file read through `read_parquet`: footer, thrift, pages, codecs, encodings.
    case parquet
    /// The bytes a PostgreSQL client sends to `tarn serve`: startup packets, SCRAM messages, simple and extended
    /// queries, framed and handled as one connection (the first byte picks trust or SCRAM authentication).
    case pgwire
}

/// What one fuzz input did.
public enum FuzzOutcome: Equatable, Sendable {
    /// Ran to completion.
    case accepted
    /// Refused with an error (the right answer for most mutated input).
    case rejected
    /// Ran but broke an invariant (wrong data from a damaged file): a bug, like a crash.
    case violation(String)
}
