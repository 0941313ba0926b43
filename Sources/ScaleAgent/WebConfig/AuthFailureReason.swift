/// Why a request was refused by basic authentication: the `reason` label of
/// `scalewatch_http_auth_failures_total`. The client is told only 401, whatever the reason.
public enum AuthFailureReason: String, Sendable, CaseIterable {
    /// No `Authorization: Basic` header, or one that is not base64 of `user:password`.
    case missingCredentials = "missing_credentials"
    case unknownUser = "unknown_user"
    case wrongPassword = "wrong_password"
}
