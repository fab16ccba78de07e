import Storage

/// All scalar functions and operators, looked up by (case-insensitive) name and argument types.
///
/// Each family registers its functions in its own file (`ArithmeticOperators`, `ComparisonOperators`,
/// `StringFunctions`, `MathFunctions`, `DateFunctions`, …); this type only merges and resolves them.
public enum FunctionRegistry {
    private static let definitions: [String: FunctionDefinition] = {
        var all: [FunctionDefinition] = []
        all += ArithmeticOperators.definitions
        all += ComparisonOperators.definitions
        all += StringFunctions.definitions
        all += FormatFunction.definitions
        all += JSONFunctions.definitions
        all += LikeFunctions.definitions
        all += RegexFunctions.definitions
        all += MathFunctions.definitions
        all += BitwiseFunctions.definitions
        all += ConditionalFunctions.definitions
        all += AdMetrics.definitions
        all += DateFunctions.definitions
        all += DateFormatFunctions.definitions
        all += PostgresCatalogFunctions.definitions
        all += ProbabilityFunctions.definitions
        all += CharacterFunctions.definitions
        all += StringSimilarityFunctions.definitions
        all += ISO8601Functions.definitions
        all += CalendarFunctions.definitions
        all += JSONPathFunctions.definitions
        all += TimeZoneFunctions.definitions
        all += SettingFunctions.definitions
        all += ArrayGeneratingFunctions.definitions
        var map: [String: FunctionDefinition] = [:]
        for d in all { map[d.name] = d }
        // Array functions sharing a name with a scalar one (`len`, `array_length`, `split`…) try the array form first.
        // Map functions sharing a name with an array one (`cardinality`, `element_at`) try the map form first.
        for d in ArrayFunctions.definitions + MapFunctions.definitions + RowFunctions.definitions {
            guard let scalar = map[d.name] else { map[d.name] = d; continue }
            let array = d
            map[d.name] = FunctionDefinition(d.name, signatures: array.signatures + scalar.signatures) { arguments, settings in
                array.resolver(arguments, settings) ?? scalar.resolver(arguments, settings)
            }
        }
        return map
    }()

    /// Alternative spellings of registered names.
    private static let aliases: [String: String] = [
        "char_length": "length", "character_length": "length", "substring": "substr", "position": "strpos",
        "ceiling": "ceil", "pow": "power", "rand": "random", "day_of_month": "day", "dow": "day_of_week",
        "doy": "day_of_year", "now": "current_timestamp", "date": "to_date", "truncate": "trunc",
        "isfinite": "is_finite", "isnan": "is_nan", "isinf": "is_infinite",
        "list_value": "array_value", "list_pack": "array_value", "array_extract": "list_extract", "list_element": "list_extract",
        "list_has": "list_contains", "array_contains": "list_contains", "array_has": "list_contains", "list_indexof": "list_position",
        "array_slice": "list_slice", "list_cat": "list_concat", "list_distinct": "array_distinct", "str_split": "string_split",
        "string_to_array": "string_split", "string_split_regex": "regexp_split",
    ]

    /// Every registered name and alias, sorted.
    public static var functionNames: [String] { (Array(definitions.keys) + Array(aliases.keys)).sorted() }

    /// Whether a function of this name exists (any signature).
    public static func exists(_ name: String) -> Bool {
        let key = name.lowercased()
        return definitions[aliases[key] ?? key] != nil
    }

    /// Resolves `name` applied to arguments of the given types.
    /// - Throws: `.semantic` when the function does not exist (with a suggestion) or no signature accepts the types.
    public static func resolve(_ name: String, argumentTypes: [DataType], settings: SessionSettings) throws -> ResolvedFunction {
        let key = name.lowercased()
        guard let definition = definitions[aliases[key] ?? key] else {
            var message = "function '\(name)' does not exist"
            if let suggestion = suggestion(for: key) { message += "; did you mean '\(suggestion)'?" }
            throw TarnError.semantic(message)
        }
        if let resolved = definition.resolver(argumentTypes, settings) { return resolved }
        let given = argumentTypes.map(\.description).joined(separator: ", ")
        throw TarnError.semantic("function '\(key)' cannot be applied to (\(given)); accepted: "
            + definition.signatures.joined(separator: "; "))
    }

    /// The closest registered name by edit distance, when reasonably close.
    static func suggestion(for name: String) -> String? {
        var best: (name: String, distance: Int)? = nil
        for candidate in functionNames where candidate.first?.isLetter == true {
            let d = editDistance(name, candidate)
            if d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        guard let best, best.distance <= max(2, name.count / 3) else { return nil }
        return best.name
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
