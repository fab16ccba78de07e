import Foundation

/// One HTTP request as the router sees it: method, path, decoded query parameters, headers and body.
public struct WebRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, uri: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.headers = headers
        self.body = body
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts.first ?? "/").removingPercentEncoding ?? String(parts.first ?? "/")
        query = parts.count > 1 ? Self.formDecode(String(parts[1])) : [:]
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// `a=1&b=x+y` → ["a": "1", "b": "x y"] (the last of repeated keys wins).
    public static func formDecode(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let plus = s.replacingOccurrences(of: "+", with: " ")
                return plus.removingPercentEncoding ?? plus
            }
            out[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
        return out
    }

    /// Value of one cookie.
    public func cookie(_ name: String) -> String? {
        guard let header = headers["cookie"] else { return nil }
        for part in header.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == name { return String(kv[1]) }
        }
        return nil
    }

    /// Whether the client asked for `type` (e.g. `text/csv`) in Accept.
    public func accepts(_ type: String) -> Bool { headers["accept"]?.lowercased().contains(type) ?? false }
}

/// What the router answers: status, headers and body.
public struct WebResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, contentType: String, body: String, headers: [(String, String)] = []) {
        self.status = status
        self.headers = [("Content-Type", contentType)] + headers
        self.body = Array(body.utf8)
    }

    public static func html(_ body: String, status: Int = 200, headers: [(String, String)] = []) -> WebResponse {
        WebResponse(status: status, contentType: "text/html; charset=utf-8", body: body, headers: headers)
    }

    public static func json(_ body: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, contentType: "application/json", body: body)
    }

    public static func text(_ body: String, status: Int) -> WebResponse {
        WebResponse(status: status, contentType: "text/plain; charset=utf-8", body: body)
    }

    public static func redirect(_ location: String, headers: [(String, String)] = []) -> WebResponse {
        WebResponse(status: 303, contentType: "text/plain; charset=utf-8", body: "see \(location)\n", headers: [("Location", location)] + headers)
    }
}
