import Foundation
import Hummingbird

/// The web config file's part of every request, on every endpoint: basic authentication when
/// the file names users (401 with `WWW-Authenticate: Basic` otherwise, counted by reason) and
/// the file's headers on every answer, refusals and errors included, as the toolkit sets them
/// before deciding.
struct WebConfigMiddleware: RouterMiddleware {
    typealias Context = AgentRequestContext
    let source: WebConfigSource
    let verifier: BasicAuthVerifier
    let counters: WebSecurityCounters

    func handle(
        _ request: Request, context: AgentRequestContext, next: (Request, AgentRequestContext) async throws -> Response
    ) async throws -> Response {
        let config = source.current
        var response: Response
        if config.users.isEmpty {
            response = try await next(request, context)
        } else {
            switch await decide(request, config.users) {
            case .admitted:
                response = try await next(request, context)
            case .refused(let reason):
                counters.record(reason)
                response = .text(.unauthorized, "unauthorized\n", headers: [.wwwAuthenticate: "Basic"])
            }
        }
        for (name, value) in config.headers {
            if let field = HTTPFields.Element.Name(name) { response.headers[field] = value }
        }
        return response
    }

    private func decide(_ request: Request, _ users: [String: BcryptHash]) async -> BasicAuthVerifier.Decision {
        guard let (user, password) = Self.credentials(request.headers[.authorization]) else {
            return .refused(.missingCredentials)
        }
        return await verifier.verify(user: user, password: password, users: users)
    }

    /// `Basic base64(user:password)`, as Go's `Request.BasicAuth` reads it: the scheme in any
    /// case, the user up to the first colon, the password (any bytes) after it.
    static func credentials(_ header: String?) -> (user: String, password: [UInt8])? {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic " else { return nil }
        guard let decoded = Data(base64Encoded: String(header.dropFirst(6))) else { return nil }
        let bytes = [UInt8](decoded)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let userBytes = bytes[..<colon]
        guard let user = String(validating: userBytes, as: UTF8.self) else { return nil }
        return (user, Array(bytes[(colon + 1)...]))
    }
}
