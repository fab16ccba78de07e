/// PostgreSQL's binary dates and timestamps count from 2000-01-01; Tarn's from 1970-01-01.
enum PostgresEpoch {
    /// Days from 1970-01-01 to 2000-01-01.
    static let dayOffset: Int64 = 10_957
    /// Microseconds from 1970-01-01 to 2000-01-01.
    static let microsecondOffset: Int64 = 946_684_800_000_000
}
