import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POSTs alerts as JSON to a webhook URL (Slack, Teams, or any HTTP receiver), waiting up to `timeout` seconds.
/// A failed delivery is reported to the caller, never retried silently.
public struct WebhookNotifier: Sendable {
    public let url: URL
    public var timeout: TimeInterval = 10

    public init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return nil }
        self.url = url
    }

    /// Sends one alert; returns an error message when the receiver did not answer 2xx.
    @discardableResult
    public func send(_ alert: Alert) -> String? {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(alert.json.utf8)
        let box = DeliveryOutcome()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { _, response, error in
            if let error { box.set("cannot deliver the alert to \(url): \(error.localizedDescription)") }
            else if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                box.set("the webhook \(url) answered HTTP \(http.statusCode)")
            }
            done.signal()
        }.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut { return "the webhook \(url) did not answer within \(Int(timeout)) s" }
        return box.get()
    }
}

/// The error text of one delivery, written by URLSession's callback thread.
private final class DeliveryOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var message: String?
    func set(_ m: String) { lock.withLock { message = m } }
    func get() -> String? { lock.withLock { message } }
}
