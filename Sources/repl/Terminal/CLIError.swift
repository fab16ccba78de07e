/// An error of the `tarn` command itself (bad arguments, files it cannot open), shown as `error: message`.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
