import Foundation
import Tarn

/// `tarn serve --schedule 'pipeline.sql@1h'`: runs each pipeline every interval on its own serial queue, so two
/// runs of one pipeline never overlap (a tick that comes while a run is still going is skipped, and counted).
/// After every run, and every `freshnessInterval`, the freshness expectations are checked. Failures and breaches
/// go to the webhook when one is given, and always to the log.
public final class PipelineScheduler: @unchecked Sendable {
    /// One schedule: a pipeline file and its interval in seconds.
    public struct Schedule: Sendable {
        public var path: String
        public var seconds: Double

        /// Parses `FILE@INTERVAL` (`30s`, `15m`, `1h`, `1d`).
        public init?(_ text: String) {
            guard let at = text.lastIndex(of: "@"), let s = Alert.parseDuration(String(text[text.index(after: at)...])) else { return nil }
            path = String(text[..<at])
            seconds = s
            guard !path.isEmpty else { return nil }
        }
    }

    let database: Database
    let lakePath: String
    let schedules: [Schedule]
    let freshness: FreshnessChecker
    let notifier: WebhookNotifier?
    let log: @Sendable (String) -> Void
    private var timers: [DispatchSourceTimer] = []
    private let lock = NSLock()
    private var running: Set<String> = []
    /// Runs started per pipeline path, and ticks skipped because the previous run was still going.
    public private(set) var runs: [String: Int] = [:]
    public private(set) var skipped: [String: Int] = [:]
    public var freshnessInterval: Double = 60

    public init(database: Database, lakePath: String, schedules: [Schedule], freshness: FreshnessChecker, notifier: WebhookNotifier?,
                log: @escaping @Sendable (String) -> Void) {
        self.database = database; self.lakePath = lakePath; self.schedules = schedules; self.freshness = freshness
        self.notifier = notifier; self.log = log
    }

    /// Starts the timers: each pipeline runs one interval after the start, then every interval.
    public func start() {
        for schedule in schedules {
            let queue = DispatchQueue(label: "tarn.schedule.\(schedule.path)")
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
            timer.schedule(deadline: .now() + schedule.seconds, repeating: schedule.seconds, leeway: .milliseconds(50))
            timer.setEventHandler { [weak self] in
                guard let self else { return }
                guard self.lock.withLock({ self.running.insert(schedule.path).inserted }) else {
                    self.lock.withLock { self.skipped[schedule.path, default: 0] += 1 }
                    return
                }
                queue.async {
                    self.runOnce(schedule.path)
                    self.lock.withLock { _ = self.running.remove(schedule.path) }
                }
            }
            timer.resume()
            timers.append(timer)
        }
        do {
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
            timer.schedule(deadline: .now() + freshnessInterval, repeating: freshnessInterval, leeway: .seconds(1))
            timer.setEventHandler { [weak self] in self?.checkFreshness() }
            timer.resume()
            timers.append(timer)
        }
    }

    public func stop() { for t in timers { t.cancel() }; timers = [] }

    func runOnce(_ path: String) {
        lock.withLock { runs[path, default: 0] += 1 }
        let started = Date()
        do {
            let result = try PipelineAlerts.run(path, database: database)
            let changed = result.steps.filter { $0.status == "succeeded" }.count
            log(String(format: "schedule %@: run %@ succeeded in %.2f s (%d steps changed)", path, result.runID, Date().timeIntervalSince(started), changed))
        } catch {
            let alert = PipelineAlerts.alert(for: error, pipeline: path, lake: lakePath)
            log("schedule \(path): \(alert.text)")
            deliver(alert)
        }
        checkFreshness()
    }

    func checkFreshness() {
        for alert in freshness.newBreaches(database, lake: lakePath) {
            log(alert.text)
            deliver(alert)
        }
    }

    private func deliver(_ alert: Alert) {
        guard let notifier else { return }
        if let problem = notifier.send(alert) { log(problem) }
    }
}
