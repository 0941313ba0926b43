import AlertEngine
import Testing

/// Binary operations between vectors: one-to-one, group_left/group_right with copied
/// labels, on/ignoring, and Prometheus' errors for ambiguous matches (cases from
/// operators.test).
struct VectorMatchingTests {
    static let nodes = """
        load 5m
          node_var{instance="abc",job="node"} 2
          node_role{instance="abc",job="node",role="prometheus"} 1
          node_cpu{instance="abc",job="node",mode="idle"} 3
          node_cpu{instance="abc",job="node",mode="user"} 1
          node_cpu{instance="def",job="node",mode="idle"} 8
          node_cpu{instance="def",job="node",mode="user"} 2

        """

    static let scripts: [PromQLScript] = [
        PromQLScript("one-to-one", AggregationTests.httpRequests + #"""
            eval instant at 50m http_requests{group="canary"} / ignoring(group) http_requests{group="production"}
              {instance="0", job="api-server"} 3
              {instance="1", job="api-server"} 2
              {instance="0", job="app-server"} 1.4
              {instance="1", job="app-server"} 1.3333333333333333

            eval instant at 50m http_requests{group="canary"} - on(instance, job) http_requests{group="production"}
              {instance="0", job="api-server"} 200
              {instance="1", job="api-server"} 200
              {instance="0", job="app-server"} 200
              {instance="1", job="app-server"} 200

            eval instant at 50m http_requests{group="canary"} > on(instance, job) http_requests{group="production"}
              {instance="0", job="api-server"} 300
              {instance="1", job="api-server"} 400
              {instance="0", job="app-server"} 700
              {instance="1", job="app-server"} 800

            eval instant at 50m http_requests{group="canary"} > ignoring(group) http_requests{group="production"}
              http_requests{instance="0", job="api-server"} 300
              http_requests{instance="1", job="api-server"} 400
              http_requests{instance="0", job="app-server"} 700
              http_requests{instance="1", job="app-server"} 800

            eval instant at 50m http_requests{group="canary"} > bool ignoring(group) http_requests{group="production"}
              {instance="0", job="api-server"} 1
              {instance="1", job="api-server"} 1
              {instance="0", job="app-server"} 1
              {instance="1", job="app-server"} 1

            eval instant at 50m http_requests{job="api-server"} + http_requests{job="app-server"}

            eval instant at 50m sum by (job) (http_requests) / on() group_left sum(http_requests)
              {job="api-server"} 0.2777777777777778
              {job="app-server"} 0.7222222222222222
            """#),
        PromQLScript("group_left and group_right copy labels", nodes + #"""
            eval instant at 0m node_cpu * on(instance, job) group_left(role) node_role
              {instance="abc",job="node",mode="idle",role="prometheus"} 3
              {instance="abc",job="node",mode="user",role="prometheus"} 1

            eval instant at 0m node_cpu * on(instance) group_left(role) node_role
              {instance="abc",job="node",mode="idle",role="prometheus"} 3
              {instance="abc",job="node",mode="user",role="prometheus"} 1

            eval instant at 0m node_cpu > on(instance) group_left(role) node_role
              node_cpu{instance="abc",job="node",mode="idle",role="prometheus"} 3

            eval instant at 0m node_cpu / on(instance) group_left sum by (instance) (node_cpu)
              {instance="abc",job="node",mode="idle"} .75
              {instance="abc",job="node",mode="user"} .25
              {instance="def",job="node",mode="idle"} .80
              {instance="def",job="node",mode="user"} .20

            eval instant at 0m node_role * on(instance) group_right(role) node_cpu
              {instance="abc",job="node",mode="idle",role="prometheus"} 3
              {instance="abc",job="node",mode="user",role="prometheus"} 1

            eval instant at 0m node_role < on(instance) group_right node_cpu
              node_cpu{instance="abc",job="node",mode="idle"} 1

            eval instant at 0m node_cpu * on(instance) group_left(nonexistent) node_role
              {instance="abc",job="node",mode="idle"} 3
              {instance="abc",job="node",mode="user"} 1
            """#),
        PromQLScript("ambiguous matches are errors", nodes + #"""
            eval instant at 0m node_cpu * on(instance) node_role
              expect fail msg: multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)

            eval instant at 0m node_role * on(instance) group_left node_cpu
              expect fail msg: found duplicate series for the match group {instance="abc"} on the right hand-side of the operation: [{__name__="node_cpu", instance="abc", job="node", mode="user"}, {__name__="node_cpu", instance="abc", job="node", mode="idle"}];many-to-many matching not allowed: matching labels must be unique on one side

            eval instant at 0m node_cpu * on(instance) group_right node_role
              expect fail msg: found duplicate series for the match group {instance="abc"} on the left hand-side of the operation: [{__name__="node_cpu", instance="abc", job="node", mode="user"}, {__name__="node_cpu", instance="abc", job="node", mode="idle"}];many-to-many matching not allowed: matching labels must be unique on one side

            eval instant at 0m node_cpu * on(instance) group_left(mode) node_role
              expect fail msg: multiple matches for labels: grouping labels must ensure unique matches
            """#),
    ]

    @Test(arguments: scripts)
    func script(_ script: PromQLScript) throws {
        try script.run()
    }
}
