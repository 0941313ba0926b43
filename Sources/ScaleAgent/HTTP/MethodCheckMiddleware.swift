import Hummingbird

/// 405 with an `Allow` header for a path the route table has, asked with a method it does not
/// answer (the router alone would say 404). Paths it does not know go on to the router's 404.
struct MethodCheckMiddleware: RouterMiddleware {
    typealias Context = AgentRequestContext

    /// Path → the value of `Allow`, from the route table.
    let allowed: [String: (methods: Set<HTTPRequest.Method>, header: String)]

    init(routes: [AgentRoute]) {
        var allowed: [String: (methods: Set<HTTPRequest.Method>, header: String)] = [:]
        for route in routes {
            let methods = route.answeredMethods
            allowed[route.path] = (Set(methods), methods.map(\.rawValue).joined(separator: ", "))
        }
        self.allowed = allowed
    }

    func handle(
        _ request: Request, context: AgentRequestContext, next: (Request, AgentRequestContext) async throws -> Response
    ) async throws -> Response {
        if let route = allowed[request.uri.path], !route.methods.contains(request.method) {
            throw HTTPError(.methodNotAllowed, headers: [.allow: route.header], message: "method not allowed")
        }
        return try await next(request, context)
    }
}
