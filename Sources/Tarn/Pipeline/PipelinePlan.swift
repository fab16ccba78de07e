import Foundation
import Storage
import SQL

/// A pipeline file parsed into setup statements (CREATE SCHEMA, USE, SET, ATTACH: run first, in file order)
/// and steps ordered by their dependencies: a step runs after every step writing a relation it reads, and
/// steps writing the same relation keep their file order. A cycle is an error naming the steps in it.
struct PipelinePlan {
    var setup: [ParsedStatement] = []
    var steps: [PipelineStep] = []

    /// Classifies the statements. `resolve` turns a written name into a lake name (current schema applied).
    static func build(_ statements: [ParsedStatement], resolve: (QualifiedName) -> TableName) throws -> PipelinePlan {
        var plan = PipelinePlan()
        var steps: [PipelineStep] = []
        for parsed in statements {
            let index = steps.count
            switch parsed.statement {
            case .createSchema, .use, .set, .reset, .attach, .transaction:
                plan.setup.append(parsed)
            case let .createTable(c):
                let kind: PipelineStep.Kind = c.query == nil ? .statement : (c.incremental ? .incrementalTable : .table)
                let reads = c.query.map { RelationReferences.of($0).map(resolve) } ?? []
                steps.append(PipelineStep(index: index, parsed: parsed, kind: kind, target: resolve(c.name), reads: Set(reads)))
            case let .createView(v):
                steps.append(PipelineStep(index: index, parsed: parsed, kind: .view, target: resolve(v.name),
                                          reads: Set(RelationReferences.of(v.query).map(resolve))))
            case let .copyInto(table, _, _):
                steps.append(PipelineStep(index: index, parsed: parsed, kind: .copy, target: resolve(table), reads: []))
            case let .insert(i):
                steps.append(PipelineStep(index: index, parsed: parsed, kind: .statement, target: resolve(i.table),
                                          reads: Set(RelationReferences.of(i.source).map(resolve))))
            case let .copyTo(source, _, _):
                steps.append(PipelineStep(index: index, parsed: parsed, kind: .export, target: nil,
                                          reads: Set(RelationReferences.of(source).map(resolve))))
            default:
                throw TarnError.semantic("a pipeline holds CREATE OR REFRESH [INCREMENTAL] TABLE … AS, CREATE [OR REPLACE] VIEW, COPY INTO, "
                                         + "COPY … TO, CREATE TABLE, INSERT and setup statements; \(parsed.statement.kindName) at line \(parsed.location.line) is not allowed")
            }
        }
        plan.steps = try order(steps)
        return plan
    }

    /// Kahn's algorithm, ties broken by file order.
    static func order(_ steps: [PipelineStep]) throws -> [PipelineStep] {
        var writers: [TableName: [Int]] = [:]
        for s in steps { if let t = s.target { writers[t, default: []].append(s.index) } }
        var dependsOn = [Set<Int>](repeating: [], count: steps.count)
        for s in steps {
            for r in s.reads { for w in writers[r] ?? [] where w != s.index { dependsOn[s.index].insert(w) } }
            if let t = s.target { for w in writers[t] ?? [] where w < s.index { dependsOn[s.index].insert(w) } }
        }
        var done = Set<Int>()
        var ordered: [PipelineStep] = []
        while ordered.count < steps.count {
            guard let next = steps.first(where: { !done.contains($0.index) && dependsOn[$0.index].isSubset(of: done) }) else {
                let cycle = findCycle(steps.filter { !done.contains($0.index) }.map(\.index), dependsOn)
                let names = cycle.map { steps[$0].target?.description ?? steps[$0].label }
                throw TarnError.semantic("the pipeline has a dependency cycle: \((names + [names.first ?? ""]).joined(separator: " → "))")
            }
            ordered.append(next)
            done.insert(next.index)
        }
        return ordered
    }

    /// A cycle among `remaining` (every one of them waits on another one of them).
    private static func findCycle(_ remaining: [Int], _ dependsOn: [Set<Int>]) -> [Int] {
        let pending = Set(remaining)
        guard var current = remaining.first else { return [] }
        var path: [Int] = []
        var seen: [Int: Int] = [:]
        while seen[current] == nil {
            seen[current] = path.count
            path.append(current)
            guard let next = dependsOn[current].filter({ pending.contains($0) }).min() else { return path }
            current = next
        }
        return Array(path[(seen[current] ?? 0)...]).reversed()
    }
}
