/// What a variable of an access-log format means to the collector. Variables it has no use for
/// (`$remote_addr`, `$time_local`, …) are `ignored`: matched, never converted.
enum AccessLogField: Equatable, Sendable {
    /// `$status` (nginx) — HAProxy's `%ST` is mapped to it by the preset; `-1` (HAProxy: no
    /// response) is kept as status -1.
    case status
    /// `$body_bytes_sent`, `$bytes_sent` (nginx), the bytes read of HAProxy's `%B`.
    case bytesSent
    /// `$request`: the request line, whose first word is the method.
    case request
    /// `$request_method`.
    case method
    /// `$request_time`, seconds with a fraction.
    case requestTime
    /// `$upstream_response_time`: seconds, or a list of them (`0.010, 0.200`, `0.1 : 0.2`) when
    /// nginx tried several servers or redirected internally; summed (see `AccessLogNumbers`).
    case upstreamTime
    /// `$upstream_addr`: a list as well; the label takes the last server, the one that answered.
    case upstreamAddress
    /// HAProxy's total active time (`%Ta`, or `%Tt` in older formats), milliseconds; -1 is none.
    case totalMilliseconds
    /// HAProxy's server response time (`%Tr`), milliseconds; -1 when no response came.
    case serverMilliseconds
    /// HAProxy's backend name (`%b`): the upstream label.
    case backend
    case ignored

    /// The meaning of an nginx-style variable name (without `$`).
    static func named(_ name: String) -> AccessLogField {
        switch name {
        case "status": .status
        case "body_bytes_sent", "bytes_sent", "bytes_read": .bytesSent
        case "request": .request
        case "request_method": .method
        case "request_time": .requestTime
        case "upstream_response_time": .upstreamTime
        case "upstream_addr": .upstreamAddress
        case "Ta", "Tt": .totalMilliseconds
        case "Tr": .serverMilliseconds
        case "backend_name": .backend
        default: .ignored
        }
    }

    /// Fields whose value may be a list with `, ` and ` : ` between items: a separator found
    /// inside such a list does not end the field.
    var isList: Bool { self == .upstreamTime || self == .upstreamAddress }
}
