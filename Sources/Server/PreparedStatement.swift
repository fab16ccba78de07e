import Tarn

/// A statement prepared with Parse: its text, placeholders and parameter types.
struct PreparedStatement {
    var query: String
    var parameters: ParameterText
    /// Type OIDs of $1…$n: declared by the client, else inferred from a cast, else text.
    var parameterTypes: [Int32]
    /// The query planned once with its parameters as placeholders (see `ProtocolSession.reusablePlan`).
    let reuse = ReusablePlan()
    /// How its last execution went (`ProtocolSession+Inline`).
    let history = RunHistory()

    init(query: String, declaredTypes: [Int32]) {
        self.query = query
        self.parameters = ParameterText(query)
        self.parameterTypes = parameters.parameterTypes(declared: declaredTypes)
    }
}

/// Whether a prepared statement runs from a plan made once (`Session.PreparedQuery`), decided at its first Bind:
/// `query` is nil when it runs with its values written into the text each time.
final class ReusablePlan {
    var decided = false
    var query: PreparedQuery?
}
