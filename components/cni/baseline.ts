// The baseline network policy of the namespaces the platform creates: deny everything, then allow DNS and what each
// add-on declares it needs (API server, AWS APIs, Prometheus scraping, webhooks from the control plane). Rendered as
// Kubernetes NetworkPolicies (vpc-cni-policy: the VPC CNI's agent enforces them) or as Calico NetworkPolicies
// (calico-* modes: the API server is matched by its Service's endpoints instead of a CIDR, and `order` is explicit).
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CniMode } from "../../stacks/schema/cni";
import { POD_IDENTITY_AGENT, type NamespaceTraffic, type PortSpec, type TrafficRule } from "../lib/contracts";

export type { NamespaceTraffic, PortSpec, TrafficRule } from "../lib/contracts";

export type PolicyBackend = "kubernetes" | "calico";

/** Calico modes get Calico policies; vpc-cni-policy gets Kubernetes ones. */
export const policyBackendFor = (mode: CniMode): PolicyBackend => (mode === "vpc-cni-policy" ? "kubernetes" : "calico");

/** Prefix of every baseline policy's name, so they are easy to tell from application policies. */
export const BASELINE_PREFIX = "baseline";
const DNS_PORTS: PortSpec[] = [
    { port: 53, protocol: "UDP" },
    { port: 53, protocol: "TCP" },
];

export interface PolicyObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
}

const labels = { "app.kubernetes.io/managed-by": "pulumi", "eks-platform/policy": "baseline" };

export type IpFamily = "ipv4" | "ipv6";

/** The Pod Identity agent's address for the cluster's IP family (the agent answers on the node's link-local address). */
export const podIdentityAgentCidr = (ipFamily: IpFamily): string =>
    ipFamily === "ipv6" ? POD_IDENTITY_AGENT.ipv6 : POD_IDENTITY_AGENT.ipv4;

function checkRule(ns: string, rule: TrafficRule): void {
    if ((rule.namespaces?.length ?? 0) + (rule.cidrs?.length ?? 0) === 0) {
        throw new Error(
            `baseline policy ${ns}/${rule.name}: a rule needs at least one peer (namespaces or cidrs); an empty peer list would allow everything`,
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes NetworkPolicy form

function k8sPeers(rule: TrafficRule): Record<string, unknown>[] {
    const peers: Record<string, unknown>[] = [];
    for (const ns of rule.namespaces ?? []) {
        peers.push(ns === "*" ? { namespaceSelector: {} } : { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
    }
    for (const cidr of rule.cidrs ?? []) peers.push({ ipBlock: { cidr } });
    return peers;
}
const k8sPorts = (ports?: PortSpec[]) => ports?.map((p) => ({ protocol: p.protocol ?? "TCP", port: p.port }));

function k8sPolicy(ns: string, name: string, spec: Record<string, unknown>, why: string): PolicyObject {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: `${BASELINE_PREFIX}-${name}`, namespace: ns, labels: { ...labels }, annotations: { "eks-platform/why": why } },
        spec: { podSelector: {}, ...spec },
    };
}

/**
 * Kubernetes NetworkPolicies for one namespace. `apiServerCidrs` are where the API server's ENIs live (the VPC CIDR):
 * a NetworkPolicy cannot name the API server, and the VPC CNI agent evaluates egress after the Service's DNAT.
 */
export function kubernetesBaselinePolicies(
    t: NamespaceTraffic,
    apiServerCidrs: readonly string[],
    ipFamily: IpFamily = "ipv4",
): PolicyObject[] {
    const ns = t.namespace;
    const out: PolicyObject[] = [
        k8sPolicy(ns, "default-deny", { policyTypes: ["Ingress", "Egress"] }, "deny all traffic the rules below do not allow"),
    ];
    out.push(
        k8sPolicy(
            ns,
            "allow-dns",
            {
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [
                            {
                                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                            },
                        ],
                        ports: k8sPorts(DNS_PORTS),
                    },
                ],
            },
            "name resolution through CoreDNS",
        ),
    );
    if (t.withinNamespace) {
        out.push(
            k8sPolicy(
                ns,
                "allow-within-namespace",
                { policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] },
                "the add-on's components talk to each other",
            ),
        );
    }
    if (t.kubeApi) {
        out.push(
            k8sPolicy(
                ns,
                "allow-kube-api",
                {
                    policyTypes: ["Egress"],
                    egress: [{ to: apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 443 }] }],
                },
                "controllers watch the Kubernetes API",
            ),
        );
    }
    if (t.podIdentity) {
        out.push(
            k8sPolicy(
                ns,
                "allow-pod-identity-agent",
                {
                    policyTypes: ["Egress"],
                    egress: [
                        {
                            to: [{ ipBlock: { cidr: podIdentityAgentCidr(ipFamily) } }],
                            ports: [{ protocol: "TCP", port: POD_IDENTITY_AGENT.port }],
                        },
                    ],
                },
                "AWS credentials from the EKS Pod Identity agent on the node",
            ),
        );
    }
    for (const rule of t.ingress) {
        checkRule(ns, rule);
        const entry: Record<string, unknown> = { from: k8sPeers(rule) };
        if (rule.ports) entry.ports = k8sPorts(rule.ports);
        out.push(k8sPolicy(ns, `ingress-${rule.name}`, { policyTypes: ["Ingress"], ingress: [entry] }, `inbound: ${rule.name}`));
    }
    for (const rule of t.egress) {
        checkRule(ns, rule);
        const entry: Record<string, unknown> = { to: k8sPeers(rule) };
        if (rule.ports) entry.ports = k8sPorts(rule.ports);
        out.push(k8sPolicy(ns, `egress-${rule.name}`, { policyTypes: ["Egress"], egress: [entry] }, `outbound: ${rule.name}`));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Calico NetworkPolicy form (projectcalico.org/v3, served by the Calico API server)

/** Order of the allow rules; the default deny comes after them (Calico evaluates low orders first). */
const CALICO_ALLOW_ORDER = 900;
const CALICO_DENY_ORDER = 2000;

function calicoPorts(ports: PortSpec[] | undefined): { protocol?: string; ports?: number[] }[] {
    if (!ports) return [{}];
    const byProtocol = new Map<string, number[]>();
    for (const p of ports) byProtocol.set(p.protocol ?? "TCP", [...(byProtocol.get(p.protocol ?? "TCP") ?? []), p.port]);
    return [...byProtocol].map(([protocol, list]) => ({ protocol, ports: list }));
}

/** One Calico rule per peer kind and protocol (a Calico rule has one protocol and one peer selector). */
function calicoRules(rule: TrafficRule, direction: "source" | "destination"): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const peers: Record<string, unknown>[] = [];
    const named = (rule.namespaces ?? []).filter((n) => n !== "*");
    if ((rule.namespaces ?? []).includes("*")) peers.push({ namespaceSelector: "all()" });
    else if (named.length > 0) peers.push({ namespaceSelector: `projectcalico.org/name in { ${named.map((n) => `'${n}'`).join(", ")} }` });
    if ((rule.cidrs ?? []).length > 0) peers.push({ nets: [...(rule.cidrs ?? [])] });
    for (const peer of peers) {
        for (const { protocol, ports } of calicoPorts(rule.ports)) {
            const peerWithPorts = direction === "destination" && ports ? { ...peer, ports } : peer;
            const entry: Record<string, unknown> = { action: "Allow", [direction]: peerWithPorts };
            if (protocol) entry.protocol = protocol;
            if (direction === "source" && ports) entry.destination = { ports };
            out.push(entry);
        }
    }
    return out;
}

function calicoPolicy(ns: string, name: string, order: number, spec: Record<string, unknown>, why: string): PolicyObject {
    return {
        apiVersion: "projectcalico.org/v3",
        kind: "NetworkPolicy",
        metadata: { name: `${BASELINE_PREFIX}-${name}`, namespace: ns, labels: { ...labels }, annotations: { "eks-platform/why": why } },
        spec: { order, selector: "all()", ...spec },
    };
}

/** Calico NetworkPolicies for one namespace: the same intent as the Kubernetes form. */
export function calicoBaselinePolicies(t: NamespaceTraffic, ipFamily: IpFamily = "ipv4"): PolicyObject[] {
    const ns = t.namespace;
    const ingress: Record<string, unknown>[] = [];
    const egress: Record<string, unknown>[] = [
        ...["UDP", "TCP"].map((protocol) => ({
            action: "Allow",
            protocol,
            destination: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] },
        })),
    ];
    if (t.withinNamespace) {
        ingress.push({ action: "Allow", source: { selector: "all()" } });
        egress.push({ action: "Allow", destination: { selector: "all()" } });
    }
    // The API server's real addresses, whatever the VPC: the endpoints of default/kubernetes.
    // (A service match takes the Service's ports; Calico refuses ports or nets beside it.)
    if (t.kubeApi) egress.push({ action: "Allow", destination: { services: { name: "kubernetes", namespace: "default" } } });
    if (t.podIdentity) {
        egress.push({
            action: "Allow",
            protocol: "TCP",
            destination: { nets: [podIdentityAgentCidr(ipFamily)], ports: [POD_IDENTITY_AGENT.port] },
        });
    }
    for (const rule of t.ingress) {
        checkRule(ns, rule);
        ingress.push(...calicoRules(rule, "source"));
    }
    for (const rule of t.egress) {
        checkRule(ns, rule);
        egress.push(...calicoRules(rule, "destination"));
    }
    return [
        calicoPolicy(
            ns,
            "allow",
            CALICO_ALLOW_ORDER,
            { types: ["Ingress", "Egress"], ingress, egress },
            t.podIdentity
                ? "DNS, the Pod Identity agent and the flows the namespace's add-ons need"
                : "DNS and the flows the namespace's add-ons need",
        ),
        calicoPolicy(
            ns,
            "default-deny",
            CALICO_DENY_ORDER,
            { types: ["Ingress", "Egress"] },
            "deny all traffic the allow policy does not allow",
        ),
    ];
}

export function baselinePolicies(
    backend: PolicyBackend,
    t: NamespaceTraffic,
    apiServerCidrs: readonly string[],
    ipFamily: IpFamily = "ipv4",
): PolicyObject[] {
    return backend === "kubernetes" ? kubernetesBaselinePolicies(t, apiServerCidrs, ipFamily) : calicoBaselinePolicies(t, ipFamily);
}

// ---------------------------------------------------------------------------------------------------------------

export interface NetworkBaselineArgs {
    mode: CniMode;
    k8sProvider: kubernetes.Provider;
    /** Where the API server's ENIs are (the VPC CIDR); used by the Kubernetes form only. */
    apiServerCidrs: readonly string[];
    /** The cluster's IP family: which address of the Pod Identity agent pods call (default ipv4). */
    ipFamily?: IpFamily;
    namespaces: readonly NamespaceTraffic[];
    /**
     * What the policies wait for: the namespaces themselves, and in Calico modes the Cni component's `policyReady`
     * (the Calico API server serving projectcalico.org/v3).
     */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The baseline policies of the platform's namespaces (eks-platform:cni:NetworkBaseline). Built by index.ts after the
 * components that create those namespaces, from the traffic each of them declares.
 */
export class NetworkBaseline extends pulumi.ComponentResource {
    readonly policies: kubernetes.apiextensions.CustomResource[];

    constructor(name: string, args: NetworkBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cni:NetworkBaseline", name, {}, opts);
        const backend = policyBackendFor(args.mode);
        const seen = new Set<string>();
        this.policies = [];
        for (const traffic of args.namespaces) {
            if (seen.has(traffic.namespace)) throw new Error(`NetworkBaseline ${name}: namespace ${traffic.namespace} is listed twice`);
            seen.add(traffic.namespace);
            for (const policy of baselinePolicies(backend, traffic, args.apiServerCidrs, args.ipFamily)) {
                this.policies.push(
                    new kubernetes.apiextensions.CustomResource(
                        `${name}-${traffic.namespace}-${policy.metadata.name}`,
                        { apiVersion: policy.apiVersion, kind: policy.kind, metadata: policy.metadata, spec: policy.spec },
                        { parent: this, provider: args.k8sProvider, dependsOn: args.dependsOn },
                    ),
                );
            }
        }
        this.registerOutputs({ policyCount: this.policies.length });
    }
}
