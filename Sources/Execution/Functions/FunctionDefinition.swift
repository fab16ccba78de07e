import Storage

/// The outcome of resolving a function name against argument types: the kernel to call, the types the
/// binder must cast each argument to, and the result type.
public struct ResolvedFunction: Sendable {
    public let function: ScalarFunction
    /// The binder casts argument `i` to `parameterTypes[i]` (when it differs) before the call.
    public let parameterTypes: [DataType]
    public let returnType: DataType

    public init(function: ScalarFunction, parameterTypes: [DataType], returnType: DataType) {
        self.function = function
        self.parameterTypes = parameterTypes
        self.returnType = returnType
    }
}

/// One registered function: its name, human-readable signatures (for error messages) and a resolver
/// that picks a kernel for given argument types.
struct FunctionDefinition: Sendable {
    typealias Resolver = @Sendable (_ arguments: [DataType], _ settings: SessionSettings) -> ResolvedFunction?
    let name: String
    let signatures: [String]
    let resolver: Resolver

    init(_ name: String, signatures: [String], resolver: @escaping Resolver) {
        self.name = name
        self.signatures = signatures
        self.resolver = resolver
    }

    /// A function with a fixed list of overloads; the cheapest implicit conversion wins (ties: first listed).
    init(_ name: String, deterministic: Bool = true, _ overloads: [Overload]) {
        self.name = name
        self.signatures = overloads.map { o in
            let ps = o.parameters.map(\.description) + (o.variadic ? ["..."] : [])
            return "\(name)(\(ps.joined(separator: ", "))) → \(o.returnType)"
        }
        self.resolver = { arguments, _ in
            var best: (cost: Int, overload: Overload, parameters: [DataType])? = nil
            for o in overloads {
                guard let parameters = o.expand(arity: arguments.count) else { continue }
                var cost = 0
                var ok = true
                for (a, p) in zip(arguments, parameters) {
                    guard let c = TypeCoercion.castCost(from: a, to: p) else { ok = false; break }
                    cost += c
                }
                if ok, cost < (best?.cost ?? Int.max) { best = (cost, o, parameters) }
            }
            guard let best else { return nil }
            return ResolvedFunction(function: ScalarFunction(name: name, isDeterministic: deterministic, kernel: best.overload.kernel), parameterTypes: best.parameters, returnType: best.overload.returnType)
        }
    }
}

/// A concrete signature with its kernel.
struct Overload: Sendable {
    let parameters: [DataType]
    /// The last parameter may repeat (zero or more extra times).
    let variadic: Bool
    let returnType: DataType
    let kernel: ScalarFunction.Kernel

    init(_ parameters: [DataType], _ returnType: DataType, variadic: Bool = false, _ kernel: @escaping ScalarFunction.Kernel) {
        self.parameters = parameters
        self.variadic = variadic
        self.returnType = returnType
        self.kernel = kernel
    }

    func expand(arity: Int) -> [DataType]? {
        if !variadic { return arity == parameters.count ? parameters : nil }
        guard let last = parameters.last, arity >= parameters.count - 1 else { return nil }
        return Array(parameters.dropLast()) + [DataType](repeating: last, count: arity - parameters.count + 1)
    }
}
