/// The table properties Tarn itself acts on. Trino's `CREATE TABLE … WITH (key = value, …)` stores these and
/// skips every other option (`format`, `partitioned_by`, `location`, …: settings of Trino's connectors);
/// `TBLPROPERTIES (…)` and `ALTER TABLE … SET TBLPROPERTIES` store any key.
extension Lake {
    /// Lower-case keys: deletion vectors (`Lake.deletionVectorProperties`), `auto_optimize` and
    /// `auto_optimize.min_files` (Tarn's `AutoOptimize`), `delta.publish_to` (`DeltaPublishing`) and `freshness`
    /// (the web dashboards' `FreshnessChecker`).
    public static let knownTableProperties: Set<String> =
        Set(deletionVectorProperties).union(["auto_optimize", "auto_optimize.min_files", "delta.publish_to", "freshness"])
}
