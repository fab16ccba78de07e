import Storage
import Execution

/// A bind parameter `$n` in a plan made once and run with different values (a prepared statement): bound as an
/// opaque call of the parameter's type, which no optimizer rule can fold (its kernel fails, and folding leaves a
/// failing expression alone) or look into, and which `QueryPlanner.bindParameters` replaces by the value's constant
/// before the plan runs.
enum ParameterMarker {
    static func expression(_ number: Int, _ type: DataType) -> BoundExpression {
        let function = ScalarFunction(name: "$\(number)") { _, _, _ in
            throw TarnError(.internal, "parameter $\(number) was not given a value")
        }
        return .call(function, [], type)
    }

    /// The parameter number when `e` is a marker (no SQL function is named `$…`: the lexer never makes such a word).
    static func number(_ e: BoundExpression) -> Int? {
        guard case let .call(function, arguments, _) = e, arguments.isEmpty, function.name.first == "$" else { return nil }
        return Int(function.name.dropFirst())
    }
}
