import Storage
import Execution

/// Connects a hash join to the table scans on its probe side that its build keys can filter at run time
/// (`RuntimeFilter`): for a join in which a probe row without a key match produces nothing (inner, semi, right, the
/// build-side semi and anti — whose output is build rows, which such a probe row cannot match — counting), each key whose probe expression is a column — or an INTEGER column widened to
/// BIGINT, a DECIMAL widened at the same scale — is followed down through what keeps that column's values
/// unchanged: filters, projections, hash aggregates grouping by it, and the preserved (probe) side of nested joins
/// (both sides of an inner one). Never through an outer join's NULL-supplying side, an aggregate on anything but
/// a group key, a sort / limit / window / union / set operation.
enum RuntimeFilterPlanning {
    static func attach(_ join: HashJoinOperator) {
        guard !join.nullAware else { return }
        switch join.kind {
        case .inner, .semi, .right, .rightSemi, .rightAnti, .count: break
        default: return
        }
        var sources: [RuntimeFilterSource] = []
        for (k, (probeKey, buildKey)) in zip(join.leftKeys, join.rightKeys).enumerated() {
            guard RuntimeFilter.supports(buildKey.type), let position = column(of: probeKey, as: buildKey.type),
                  let (scan, scanPosition) = trace(join.left, position) else { continue }
            let column = scan.columns[scanPosition]
            let name = column >= 0 && column < scan.snapshot.schema.count ? scan.snapshot.schema.fields[column].name : "#\(column)"
            let slot = RuntimeFilterSlot(label: "\(scan.snapshot.name).\(name)")
            sources.append(RuntimeFilterSource(keyIndex: k, slot: slot))
            scan.runtimeFilters.append(RuntimeFilterTarget(position: scanPosition, slot: slot))
        }
        join.runtimeFilterSources = sources
    }

    /// The input position a probe key reads with the build key's stored values: a bare column of the same type,
    /// an INTEGER column cast to BIGINT, a DECIMAL(≤18) column cast to a wider one of the same scale.
    static func column(of key: BoundExpression, as type: DataType) -> Int? {
        switch key {
        case let .column(p, t) where t == type: return p
        case let .cast(.column(p, .integer), .bigint, _) where type == .bigint: return p
        case let .cast(.column(p, .decimal(p1, s1)), .decimal(p2, s2), _) where s1 == s2 && p1 <= p2 && p2 <= 18 && type == .decimal(precision: p2, scale: s2):
            return p
        default: return nil
        }
    }

    /// The scan and its output position holding output `position` of `op`, unchanged, or nil.
    static func trace(_ op: PhysicalOperator, _ position: Int) -> (TableScanOperator, Int)? {
        switch op {
        case let scan as TableScanOperator:
            return position < scan.columns.count ? (scan, position) : nil
        case let filter as FilterOperator:
            return trace(filter.child, position)
        case let projection as ProjectionOperator:
            guard projection.expressions.indices.contains(position),
                  case let .column(p, _) = projection.expressions[position] else { return nil }
            return trace(projection.child, p)
        case let aggregate as HashAggregateOperator:
            guard aggregate.groupKeys.indices.contains(position),
                  case let .column(p, _) = aggregate.groupKeys[position] else { return nil }
            return trace(aggregate.child, p)
        case let join as HashJoinOperator:
            let leftWidth = join.left.outputTypes.count
            switch join.kind {
            case .inner:
                return position < leftWidth ? trace(join.left, position) : trace(join.right, position - leftWidth)
            case .left, .semi, .anti, .mark, .count:
                return position < leftWidth ? trace(join.left, position) : nil
            case .rightSemi, .rightAnti:
                // Their output is build rows (`JoinEmitter.outputTypes`).
                return trace(join.right, position)
            default:
                return nil
            }
        default:
            return nil
        }
    }
}
