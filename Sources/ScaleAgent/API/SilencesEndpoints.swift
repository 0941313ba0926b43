import AlertEngine
import Hummingbird
import MetricStore

/// Alertmanager's silence API v2 on the agent, so that `amtool --alertmanager.url` and
/// `scalewatch silence` manage the agent's silences:
///
/// - `GET /api/v2/silences[?filter=<matcher>…]`: every silence (expired ones for their
///   retention), active first; a filter keeps the silences whose own matchers, read as labels,
///   it matches, as Alertmanager does.
/// - `POST /api/v2/silences`: creates, or with an `id` updates, a silence; 200 `{"silenceID":"…"}`.
/// - `GET /api/v2/silence/<id>`, `DELETE /api/v2/silence/<id>` (expires it).
///
/// Refusals are Alertmanager's: 400 or 404 (500 when the file cannot be written) with the
/// reason as a JSON string.
struct SilencesEndpoints: Sendable {
    let store: SilenceStore

    func routes() -> [AgentRoute] {
        [
            AgentRoute("/api/v2/silences", [.get, .post]) { request, _ in
                request.method == .post ? try await post(request) : try await list(request)
            },
            AgentRoute("/api/v2/silence/:id", [.get, .delete]) { request, context in
                let id = context.parameters.get("id") ?? ""
                return request.method == .delete ? delete(id) : get(id)
            },
        ]
    }

    private func list(_ request: Request) async throws -> Response {
        var filter: [LabelMatcher] = []
        do {
            for text in try await PrometheusAPI.form(request).values("filter") { filter += try AlertmanagerMatchers.parse(text) }
        } catch {
            return Self.refusal(.badRequest, "bad matcher format: \(error)")
        }
        let now = store.now()
        let listed = store.current.listed(at: now).filter { silence in
            let labels = Labels(silence.matchers.map { Label($0.name, $0.value) })
            return filter.allSatisfy { $0.matches(labels[$0.name] ?? "") }
        }
        var json = JSONWriter()
        json.beginArray()
        for silence in listed { GettableSilence.write(silence, now: now, &json) }
        json.endArray()
        return Self.json(.ok, json.text)
    }

    private func post(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: HTTPLayer.maximumBodyBytes)
        } catch {
            return Self.refusal(.badRequest, "could not read the body: \(error)")
        }
        do {
            let silence = try PostableSilence.parse(Array(buffer: body))
            let id = try store.set(silence)
            return Self.json(.ok, #"{"silenceID":\#(JSONWriter.quoted(id))}"#)
        } catch let refusal as PostableSilence.Refusal {
            return Self.refusal(.badRequest, refusal.message)
        } catch let refusal as Silences.Refusal {
            return Self.refusal(refusal.kind == .notFound ? .notFound : .badRequest, refusal.message)
        } catch {
            return Self.refusal(.internalServerError, "the silence could not be saved: \(error)")
        }
    }

    private func get(_ id: String) -> Response {
        guard let silence = store.current[id] else { return Self.refusal(.notFound, "silence \(id) not found") }
        var json = JSONWriter()
        GettableSilence.write(silence, now: store.now(), &json)
        return Self.json(.ok, json.text)
    }

    private func delete(_ id: String) -> Response {
        do {
            try store.expire(id: id)
            return Response(status: .ok)
        } catch let refusal as Silences.Refusal {
            return Self.refusal(refusal.kind == .notFound ? .notFound : .badRequest, refusal.message)
        } catch {
            return Self.refusal(.internalServerError, "the silence could not be saved: \(error)")
        }
    }

    private static func refusal(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status, JSONWriter.quoted(message))
    }

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
