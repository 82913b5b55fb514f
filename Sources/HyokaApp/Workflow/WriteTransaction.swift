import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

extension Database {
    /// A staff write: one transaction, run again when the database says another writer got
    /// there first, so that concurrent requests queue instead of failing. SQLite allows one
    /// writer; a second transaction that read before the first committed is refused with
    /// `database is locked` (busy), and has to start over to see what the first wrote.
    /// PostgreSQL may pick a deadlock victim. After the last try, and for a unique key two
    /// writers both wanted (two planners opening the same year), the answer is 409 with
    /// what to do, never 500. The closure must write only through `tx`: it may run again.
    func writeTransaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await transaction(closure)
            } catch where WriteContention.isRetryable(error) {
                attempt += 1
                guard attempt < WriteContention.attempts else { throw WriteContention.busy }
                // Jitter, so that the writers who collided do not collide again.
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...40) * attempt))
            } catch where (error as? any DatabaseError)?.isConstraintFailure == true && WriteContention.isUniqueViolation(error) {
                throw WriteContention.duplicate
            }
        }
    }
}

enum WriteContention {
    static let attempts = 12

    static func isRetryable(_ error: any Error) -> Bool {
        if let sqlite = error as? SQLiteError {
            switch sqlite.reason {
            case .busy, .busyInRecovery, .busyInSnapshot, .busyTimeout, .locked, .lockedBySharedCache: return true
            default: return false
            }
        }
        if let postgres = error as? PSQLError, let state = postgres.serverInfo?[.sqlState] {
            return state == "40001" || state == "40P01"  // serialization failure, deadlock
        }
        return false
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let sqlite = error as? SQLiteError { return sqlite.reason == .constraintUniqueFailed || sqlite.reason == .constraintPrimaryKeyFailed
            || (sqlite.reason == .constraint && sqlite.message.contains("UNIQUE")) }
        if let postgres = error as? PSQLError { return postgres.serverInfo?[.sqlState] == "23505" }
        return false
    }

    static let busy = StaffError(status: .serviceUnavailable,
                                 japanese: "ほかの保存が続いていて保存できませんでした。何も変更していません。少し待ってからもう一度送信してください",
                                 english: "other saves kept the database busy; nothing was changed. Wait a moment and send again")
    static let duplicate = StaffError(status: .conflict,
                                      japanese: "同じ内容が同時に保存されました。画面を読み込み直して、結果を確かめてください",
                                      english: "the same record was saved by someone else at the same moment; reload the page and check")
}
