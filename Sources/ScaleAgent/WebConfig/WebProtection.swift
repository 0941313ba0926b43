/// What the HTTP layer needs of the web config file: the file in force, the basic
/// authentication decisions (with their cache), and the counters of what was refused. One
/// per server, shared by every listener and every chain a reload builds.
struct WebProtection: Sendable {
    let source: WebConfigSource
    let verifier: BasicAuthVerifier
    let counters: WebSecurityCounters
}
