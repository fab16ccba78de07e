import Storage

/// A resolved scalar function: its name and a vectorised kernel over argument columns.
///
/// The kernel receives argument columns already cast to the resolved parameter types and returns
/// a column of `count` rows. It must handle NULLs itself (most functions: NULL in, NULL out).
public struct ScalarFunction: Sendable {
    public typealias Kernel = @Sendable (_ arguments: [Column], _ count: Int, _ context: ExecutionContext) throws -> Column
    public let name: String
    public let kernel: Kernel
    /// Deterministic functions over constants may be folded at plan time (not `random`, `current_timestamp`…).
    public let isDeterministic: Bool
    /// Optional kernel for a two-argument call with one non-NULL constant argument (`1 - x`): receives the other
    /// argument's column, the constant as a one-row column and whether the constant is the left argument, so the
    /// constant is not materialised per row; nil means "not handled here" and the call runs `kernel` instead.
    public typealias ConstantOperandKernel = @Sendable (_ column: Column, _ constant: Column, _ constantIsLeft: Bool,
                                                        _ context: ExecutionContext) throws -> Column?
    public let constantOperandKernel: ConstantOperandKernel?
    /// Trino's `try(x)`: an evaluation error in the argument gives NULL for the rows it happens on
    /// (`TryEvaluation`); the kernel then only passes the argument through.
    public let nullsArgumentErrors: Bool

    public init(name: String, isDeterministic: Bool = true, constantOperandKernel: ConstantOperandKernel? = nil,
                nullsArgumentErrors: Bool = false, kernel: @escaping Kernel) {
        self.name = name
        self.kernel = kernel
        self.isDeterministic = isDeterministic
        self.constantOperandKernel = constantOperandKernel
        self.nullsArgumentErrors = nullsArgumentErrors
    }

    /// `try(x)`, bound around an argument of type `type`.
    public static func tryFunction() -> ScalarFunction {
        ScalarFunction(name: "try", nullsArgumentErrors: true) { arguments, _, _ in
            guard let argument = arguments.first else { throw TarnError(.internal, "try() takes one argument") }
            return argument
        }
    }
}
