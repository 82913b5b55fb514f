import Vapor

/// A refusal of a staff action, in Japanese and English, with the HTTP status it answers:
/// 403 when the policy says no, 409 when the record's state or version does not allow it,
/// 422 when the input is invalid, 404 when the record is not there.
struct StaffError: AbortError {
    var status: HTTPResponseStatus
    var japanese: String
    var english: String

    var reason: String { "\(japanese) (\(english))" }

    static let forbidden = StaffError(status: .forbidden, japanese: "この操作をする権限がありません。担当課・役割を確認し、必要なら企画担当に依頼してください",
                                      english: "your role or department does not allow this; ask the planning section if it should")
    /// A body over the limit: 413 with what to do instead.
    static func tooLarge(_ limit: ByteCount) -> StaffError {
        let size = StaffBodyLimit.describe(limit)
        return StaffError(status: .payloadTooLarge,
                          japanese: "送信された内容が大きすぎます（上限 \(size)）。文章は分けて保存し、Excel ファイルは \(size) 以下にしてください（画像や不要なシートを削除すると小さくなります）",
                          english: "what was sent is too large (limit \(size)); save long texts in parts and keep workbooks under \(size) (remove images and unused sheets)")
    }

    static func notFound(_ what: String, _ english: String) -> StaffError {
        StaffError(status: .notFound, japanese: "\(what)が見つかりません", english: "\(english) not found")
    }
}
