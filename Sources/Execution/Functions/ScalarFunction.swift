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

    public init(name: String, isDeterministic: Bool = true, kernel: @escaping Kernel) {
        self.name = name
        self.kernel = kernel
        self.isDeterministic = isDeterministic
    }
}
