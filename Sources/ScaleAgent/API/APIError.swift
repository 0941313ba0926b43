import Hummingbird
import MetricStore

/// A refusal of the Prometheus HTTP API, answered as Prometheus answers it:
/// `{"status":"error","errorType":"bad_data","error":"…"}` with the status its type implies.
struct APIError: Error, Equatable, CustomStringConvertible {
    /// Prometheus' `errorType` values and the status each is answered with.
    enum Kind: String, Equatable {
        case badData = "bad_data"
        case execution
        case timeout
        case canceled
        case `internal`
        case unavailable
        case notFound = "not_found"

        var status: HTTPResponse.Status {
            switch self {
            case .badData: .badRequest
            case .execution: .unprocessableContent
            // Prometheus answers a canceled query 499, nginx' "client closed request".
            case .canceled: HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
            // Overload is the same condition as a timeout for a client: come back later.
            case .timeout, .unavailable: .serviceUnavailable
            case .internal: .internalServerError
            case .notFound: .notFound
            }
        }
    }

    let kind: Kind
    let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Prometheus' `invalidParamError`: `invalid parameter "start": <why>`.
    static func invalidParameter(_ name: String, _ why: String) -> APIError {
        APIError(.badData, "invalid parameter \(JSONWriter.quoted(name)): \(why)")
    }

    var description: String { "\(kind.rawValue): \(message)" }
}
