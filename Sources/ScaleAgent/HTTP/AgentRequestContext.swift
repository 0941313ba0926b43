import Hummingbird

/// What every request carries through the middleware chain: Hummingbird's core context (the
/// logger, the route that matched) and the agent's bound on request bodies.
public struct AgentRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }

    /// The most of a request body that is read; more is refused with 413.
    public var maxUploadSize: Int { HTTPLayer.maximumBodyBytes }
}
