// Network isolation of team namespaces, as the traffic each one declares for the CNI's baseline policy
// (components/cni NetworkBaseline renders it for the stack's policy engine, index.ts hands it over): everything denied
// but DNS, the namespace's own pods, the load balancers of the Gateways the team's routes attach to, Prometheus
// scraping, the EKS Pod Identity agent, and the outbound flows the team declares.
import type { NamespaceTraffic, TrafficRule } from "../lib/contracts";
import type { Team } from "./objects";

/** Where a shared Gateway's load balancer connects to the targets from (GatewayAttachment.targetSourceCidrs). */
export interface TeamGatewaySource {
    namespaceLabel: { key: string; value: string };
    targetSourceCidrs: readonly string[];
}

export interface TeamTrafficSources {
    /** The shared Gateways by key (eks-platform:ingress.gateways.<key>) that exist in the stack. */
    gateways: Readonly<Record<string, TeamGatewaySource>>;
    /** Namespaces whose Prometheus scrapes the team's pods (monitoring), when there is one. */
    metricsScrapers: readonly string[];
}

/** The Gateways a team names, each of which must exist (the config rule checks it against the ingress section). */
export function teamGateways(
    team: Pick<Team, "name" | "gateways">,
    gateways: Readonly<Record<string, TeamGatewaySource>>,
): TeamGatewaySource[] {
    return team.gateways.map((key) => {
        const gateway = gateways[key];
        if (!gateway)
            throw new Error(
                `team ${team.name}: the shared Gateway ${key} is not offered by this stack (eks-platform:ingress.gateways.${key})`,
            );
        return gateway;
    });
}

/** The traffic of each of the team's namespaces. */
export function teamNamespaceTraffic(
    team: Pick<Team, "name" | "namespaces" | "gateways" | "egress">,
    sources: TeamTrafficSources,
): NamespaceTraffic[] {
    const gatewayCidrs = [...new Set(teamGateways(team, sources.gateways).flatMap((g) => g.targetSourceCidrs))].sort();
    const ingress: TrafficRule[] = [];
    // The load balancer connects to the pods on whatever port the route's Service targets.
    if (gatewayCidrs.length > 0) ingress.push({ name: "gateway", cidrs: gatewayCidrs });
    if (sources.metricsScrapers.length > 0) ingress.push({ name: "prometheus-scrape", namespaces: [...sources.metricsScrapers] });
    const egress: TrafficRule[] = [
        ...team.egress.map((flow) => ({
            name: flow.name,
            cidrs: [...flow.cidrs],
            ...(flow.ports ? { ports: flow.ports.map((p) => ({ port: p.port, ...(p.protocol ? { protocol: p.protocol } : {}) })) } : {}),
        })),
    ];
    return team.namespaces.map((namespace) => ({
        namespace,
        withinNamespace: true,
        kubeApi: false,
        // Team workloads may use Pod Identity: the baseline allows the agent (169.254.170.23:80) for them.
        podIdentity: true,
        ingress: ingress.map((r) => ({ ...r })),
        egress: egress.map((r) => ({ ...r })),
    }));
}
