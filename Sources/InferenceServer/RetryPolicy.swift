import Foundation

/// How `OpenAIClient` retries a request that failed before any of its answer arrived: on connection errors and on
/// the statuses that mean "try again later" (429 rate limited, 503 overloaded or still loading), with exponential
/// backoff, and honouring a Retry-After header given in seconds.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 means no retries.
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration
    public var retryableStatuses: Set<Int>

    public init(maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(10),
                retryableStatuses: Set<Int> = [429, 503]) {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.retryableStatuses = retryableStatuses
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1`: initialDelay doubled per failed attempt, or Retry-After, at most maxDelay.
    public func delay(afterAttempt attempt: Int, retryAfter: String? = nil) -> Duration {
        if let retryAfter, let seconds = Double(retryAfter.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return min(.milliseconds(Int64(seconds * 1000)), maxDelay)
        }
        let doublings = min(max(attempt - 1, 0), 30)
        return min(initialDelay * (1 << doublings), maxDelay)
    }
}
