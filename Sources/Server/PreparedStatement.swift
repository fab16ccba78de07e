/// A statement prepared with Parse: its text, placeholders and parameter types.
struct PreparedStatement {
    var query: String
    var parameters: ParameterText
    /// Type OIDs of $1…$n: declared by the client, else inferred from a cast, else text.
    var parameterTypes: [Int32]

    init(query: String, declaredTypes: [Int32]) {
        self.query = query
        self.parameters = ParameterText(query)
        self.parameterTypes = parameters.parameterTypes(declared: declaredTypes)
    }
}
