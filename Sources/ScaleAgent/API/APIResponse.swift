import Hummingbird
import MetricStore

/// The envelope of every API answer, in Prometheus' shape:
///
///     {"status":"success","data":<data>,"warnings":[…],"infos":[…]}
///     {"status":"error","errorType":"bad_data","error":"<message>"}
///
/// `warnings` and `infos` are left out when empty, as Prometheus leaves them out.
enum APIResponse {
    static let contentType = "application/json"

    static func success(warnings: [String] = [], infos: [String] = [], _ data: (inout JSONWriter) -> Void) -> Response {
        ok(successBody(warnings: warnings, infos: infos, data))
    }

    /// A success answer's body, for work that renders it where it computed it (the reader pool).
    static func successBody(warnings: [String] = [], infos: [String] = [], _ data: (inout JSONWriter) -> Void) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("status")
        json.string("success")
        json.key("data")
        data(&json)
        strings("warnings", warnings, &json)
        strings("infos", infos, &json)
        json.endObject()
        return json.bytes
    }

    /// 200 with a body `successBody` rendered.
    static func ok(_ body: [UInt8]) -> Response {
        response(.ok, body)
    }

    static func error(_ error: APIError) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.key("status")
        json.string("error")
        json.key("errorType")
        json.string(error.kind.rawValue)
        json.key("error")
        json.string(error.message)
        json.endObject()
        return response(error.kind.status, json.bytes)
    }

    private static func strings(_ key: String, _ values: [String], _ json: inout JSONWriter) {
        guard !values.isEmpty else { return }
        json.key(key)
        json.beginArray()
        for value in values { json.string(value) }
        json.endArray()
    }

    private static func response(_ status: HTTPResponse.Status, _ body: [UInt8]) -> Response {
        Response(
            status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
