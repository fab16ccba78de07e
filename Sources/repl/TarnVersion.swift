/// The version `tarn --version` prints.
enum TarnVersion {
    static let current = "0.1.0"
}
