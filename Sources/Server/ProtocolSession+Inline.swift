import Dispatch

/// Short prepared executions run on the event loop. A round trip through the worker queue wakes two threads (event
/// loop → worker → event loop); for a lookup that is most of its latency. So when the worker queue is idle and a read
/// holds only Bind / Describe (portal) / Execute / Sync / Flush for prepared statements whose last execution was
/// short and small (`RunHistory`) and that are plain queries, and no VACUUM holds the lake, the `ConnectionHandler`
/// runs them right there. Nothing on the event loop may wait for the peer: the rows are pulled and encoded under an
/// `InlineBudget` (a time slice and the output threshold, looked at every 4,096 rows), and when it is spent the
/// Execute stops (`PendingExecute`) and the worker queue sends the rest and handles the messages after it, with
/// backpressure as before. Cancellation, errors and timeouts are the same code either way.
extension ProtocolSession {
    /// Whether `messages` (one read, the worker queue idle) may run on the event loop now.
    func canRunInline(_ messages: [FrontendMessage]) -> Bool {
        guard vacuumProbe != nil, inlineNanoseconds > 0, phase == .ready, !ignoringUntilSync, resumption == nil else { return false }
        var bound: [String] = []
        // A portal bound earlier (a client that sends Bind in one packet and Execute in the next, or pages through a
        // result with row limits) qualifies as its statement does.
        func qualifies(_ portal: String) -> Bool {
            if bound.contains(portal) { return true }
            guard let open = portals[portal], open.reuse != nil, let history = open.history else { return false }
            return history.isShort(within: inlineNanoseconds)
        }
        for message in messages {
            switch message {
            case let .bind(portal, statement, _, _, _):
                // Plain queries only (a prepared plan exists): a write may wait for locks or the disk.
                guard let prepared = statements[statement], prepared.history.isShort(within: inlineNanoseconds), prepared.reuse.query != nil,
                      bound.count < 8 else {
                    return false
                }
                bound.append(portal)
            case let .describe(kind, name):
                guard kind == UInt8(ascii: "P"), qualifies(name) else { return false }
            case let .execute(portal, _):
                guard qualifies(portal) else { return false }
            case .sync, .flush:
                continue
            default:
                return false
            }
        }
        // A VACUUM in progress would make the statement wait for the lake: not on the event loop.
        return vacuumProbe?.vacuumInProgress() == false
    }
}

extension ProtocolSession {
    /// `ServerConfiguration.inlineExecutionSeconds` in nanoseconds.
    var inlineNanoseconds: UInt64 { UInt64(max(0, min(configuration.inlineExecutionSeconds, 1)) * 1e9) }
}

/// How much an inline run may take before the rest of its result goes to the worker queue.
struct InlineBudget {
    /// `DispatchTime` nanoseconds after which no further batch is pulled on the event loop.
    let deadline: UInt64
    /// The time slice the run was given.
    let slice: UInt64
    /// Buffered output at which no further batch is pulled (the worker's write-and-wait threshold).
    let maxBuffered: Int

    /// A budget starting now: twice the time a short execution may take, at least 2 ms.
    static func startingNow(short: UInt64) -> InlineBudget {
        let slice = max(2_000_000, 2 * short)
        return InlineBudget(deadline: DispatchTime.now().uptimeNanoseconds + slice, slice: slice, maxBuffered: ChannelOutput.threshold)
    }

    func isSpent(buffered: Int) -> Bool {
        buffered >= maxBuffered || DispatchTime.now().uptimeNanoseconds >= deadline
    }

    /// Whether a run that ends at `now` went far past the budget (more than four slices past its end).
    func overran(at now: UInt64) -> Bool { now > deadline + 4 * slice }
}

/// An Execute that stopped on the event loop when its budget was spent: the portal, its row limit (0 = all) and
/// the rows already sent.
struct PendingExecute {
    let portal: String
    let maxRows: Int
    let sent: Int
}

/// A prepared statement's last execution: how long it took from its start to its last row, and whether it was
/// short — at most `shortRows` rows, not handed over, not failed. Only statements whose last execution was short and
/// took at most the configured time (1 ms) run on the event loop; the first execution of a statement always runs on the
/// worker queue. One inline execution that ran far past its slice (a single batch took that long: the values made the
/// plan's work grow, as `a.id < $1` in a join) keeps the statement on the worker queue for good, so the event loop's
/// other connections are held up by such a statement at most once.
final class RunHistory {
    private var nanoseconds: UInt64 = .max
    private var overran = false

    static let shortRows = 256

    /// Whether the last execution was short and took at most `limit` nanoseconds.
    func isShort(within limit: UInt64) -> Bool { !overran && nanoseconds <= limit }

    /// Notes a finished execution of `portal` that sent `rows` rows (`inline`: the budget it ran under, if any).
    func record(_ portal: Portal, rows: Int, inline: InlineBudget?) {
        let now = DispatchTime.now().uptimeNanoseconds
        noteOverrun(now, inline)
        nanoseconds = portal.startedAt > 0 && rows <= Self.shortRows ? now &- portal.startedAt : .max
    }

    /// Notes an execution that failed or had to be handed over (not short).
    func recordSlow(inline: InlineBudget?) {
        noteOverrun(DispatchTime.now().uptimeNanoseconds, inline)
        nanoseconds = .max
    }

    private func noteOverrun(_ now: UInt64, _ inline: InlineBudget?) {
        if let inline, inline.overran(at: now) { overran = true }
    }
}
