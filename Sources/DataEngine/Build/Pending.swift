import Foundation
import Tokenization

/// A value computed on a thread of its own and waited for where it is needed, so that work which does not
/// need it goes on meanwhile (a build reads its first documents while the tokenizer loads).
final class Pending<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = startThread { [self] in
            let outcome = Result { try work() }
            condition.lock()
            result = outcome
            condition.broadcast()
            condition.unlock()
        }
        pthread_detach(thread)
    }

    /// Waits for the value; rethrows the work's error, to every caller.
    func value() throws -> Value {
        condition.lock()
        while result == nil { condition.wait() }
        let outcome = result!
        condition.unlock()
        return try outcome.get()
    }
}
