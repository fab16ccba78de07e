import Foundation
import Storage

/// Small JSON helpers for the Delta log: quoting strings as JSON writes them, and parsing one commit line.
public enum DeltaJSON {
    /// `s` as a JSON string literal (Storage's one quoting routine).
    public static func quote(_ s: String) -> String { JSONText.quoted(s) }

    /// One line of a commit file as a JSON object; `where` names the file and line in the error.
    static func object(_ line: Substring, where location: String) throws -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw TarnError.corruption("\(location): not a JSON object: \(line.prefix(120))")
        }
        return object
    }

    /// A JSON number or numeric string as Int64.
    static func int(_ any: Any?) -> Int64? {
        switch any {
        case let n as NSNumber: return n.int64Value
        case let s as String: return Int64(s)
        default: return nil
        }
    }
}
