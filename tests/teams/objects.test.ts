// What a team gets, as the pure builders make it: access scoped per level to its namespaces, the Pod Security label
// matrix per environment and exception, quota and limit range from the config, and its network isolation in both of
// the CNI's policy forms; the Kubernetes objects validate against the API's schemas (kubernetes-models 4.5.1).
import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { describe, expect, it } from "vitest";
import { baselinePolicies } from "../../components/cni";
import {
    limitRangeObject,
    policyReportRoleObjects,
    resourceQuotaObject,
    teamAccessEntries,
    teamNamespaceObject,
    teamNamespaceTraffic,
    type Team,
} from "../../components/teams";
import { platformConfigFor } from "../../plan";

const prod = platformConfigFor("prod").teams;
const teamOf = (name: string, settings = prod): Team => {
    const found = settings.teams.find((t) => t.name === name);
    if (!found) throw new Error(`no team ${name}`);
    return found;
};

describe("access", () => {
    it.each([
        ["view", "AmazonEKSViewPolicy"],
        ["edit", "AmazonEKSEditPolicy"],
        ["admin", "AmazonEKSAdminPolicy"],
    ] as const)("%s: %s scoped to the team's namespaces, the team's group for its own Role", (access, policy) => {
        const entries = teamAccessEntries({ ...teamOf("payments"), access }, "aws");
        expect(entries).toEqual([
            {
                key: "awsreservedsso_paymentsengineers_0a1b2c3d4e5f6a7b".replace(/_/g, "-"),
                principalArn: teamOf("payments").principals[0],
                kubernetesGroups: ["eks-platform:team:payments"],
                policyArn: `arn:aws:eks::aws:cluster-access-policy/${policy}`,
                accessScope: { type: "namespace", namespaces: ["payments", "payments-jobs"] },
            },
        ]);
    });

    it("one entry per IAM role, keys unique even when two roles share a name under different paths", () => {
        const data = { ...teamOf("data"), principals: ["arn:aws:iam::333333333333:role/a/ops", "arn:aws:iam::333333333333:role/b/ops"] };
        expect(teamAccessEntries(data, "aws-cn").map((e) => [e.key, e.policyArn])).toEqual([
            ["ops", "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy"],
            ["ops-2", "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy"],
        ]);
    });

    it("the group's Role reads the namespace's policy reports and nothing else", () => {
        const { role, binding } = policyReportRoleObjects(teamOf("payments"), "payments");
        expect(role.rules).toEqual([{ apiGroups: ["wgpolicyk8s.io"], resources: ["policyreports"], verbs: ["get", "list", "watch"] }]);
        expect(binding.subjects).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "eks-platform:team:payments" }]);
        expect(binding.roleRef.name).toBe(role.metadata.name);
        new Role(role).validate();
        new RoleBinding(binding).validate();
    });
});

describe("Pod Security labels", () => {
    const labelsOf = (stack: "dev" | "staging" | "prod", exception: boolean) => {
        const settings = platformConfigFor(stack).teams;
        const team = {
            name: "t",
            podSecurityException: exception ? { enforce: "baseline" as const, reason: "because of a test" } : undefined,
        };
        return teamNamespaceObject(settings, team, "t", { kubernetesVersion: "1.35", gatewayLabels: [] }).metadata.labels;
    };

    it.each([
        ["dev", false, "baseline"],
        ["dev", true, "baseline"],
        ["staging", false, "restricted"],
        ["staging", true, "baseline"],
        ["prod", false, "restricted"],
        ["prod", true, "baseline"],
    ] as const)(
        "%s, exception %s: enforce %s; warn and audit restricted; every mode pinned to the cluster's minor",
        (stack, exception, enforce) => {
            expect(labelsOf(stack, exception)).toMatchObject({
                "pod-security.kubernetes.io/enforce": enforce,
                "pod-security.kubernetes.io/enforce-version": "v1.35",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/warn-version": "v1.35",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/audit-version": "v1.35",
            });
        },
    );

    it("the namespace carries its team, the exception's reason and each Gateway's label", () => {
        const ns = teamNamespaceObject(prod, teamOf("data"), "analytics", {
            kubernetesVersion: "1.35",
            gatewayLabels: [{ key: "eks-platform/gateway-internal", value: "true" }],
        });
        expect(ns.metadata.labels).toMatchObject({ "eks-platform/team": "data", "eks-platform/gateway-internal": "true" });
        expect(ns.metadata.annotations["eks-platform/pod-security-exception"]).toMatch(/Spark/);
        new Namespace(ns).validate();
    });
});

describe("quota and limit range", () => {
    it("the quota holds the team's values under the Kubernetes names, as a valid ResourceQuota", () => {
        const quota = resourceQuotaObject(teamOf("payments"), "payments");
        expect(quota.spec.hard).toEqual({
            "requests.cpu": "48",
            "requests.memory": "96Gi",
            "limits.memory": "192Gi",
            pods: "300",
            persistentvolumeclaims: "50",
            "requests.storage": "2Ti",
            "services.loadbalancers": "2",
        });
        new ResourceQuota(quota).validate();
    });

    it("the limit range gives default requests, a default memory limit and a maximum per container", () => {
        const limits = limitRangeObject(teamOf("storefront", platformConfigFor("dev").teams), "storefront");
        expect(limits.spec.limits).toEqual([
            {
                type: "Container",
                defaultRequest: { cpu: "100m", memory: "128Mi" },
                default: { memory: "256Mi" },
                max: { cpu: "2", memory: "4Gi" },
            },
        ]);
        new LimitRange(limits).validate();
    });
});

describe("network isolation", () => {
    const sources = {
        gateways: {
            internal: { namespaceLabel: { key: "eks-platform/gateway-internal", value: "true" }, targetSourceCidrs: ["10.30.0.0/16"] },
        },
        metricsScrapers: ["monitoring"],
    };
    const payments = { ...teamOf("payments"), gateways: ["internal" as const] };

    it("each namespace: its own pods, the Gateway's load balancer, Prometheus in; DNS, the Pod Identity agent and the team's flows out", () => {
        const traffic = teamNamespaceTraffic(payments, sources);
        expect(traffic.map((t) => t.namespace)).toEqual(["payments", "payments-jobs"]);
        expect(traffic[0]).toEqual({
            namespace: "payments",
            withinNamespace: true,
            kubeApi: false,
            // The baseline allows the Pod Identity agent (169.254.170.23:80) for namespaces that declare it.
            podIdentity: true,
            ingress: [
                { name: "gateway", cidrs: ["10.30.0.0/16"] },
                { name: "prometheus-scrape", namespaces: ["monitoring"] },
            ],
            egress: [{ name: "payment-provider", cidrs: ["0.0.0.0/0"], ports: [{ port: 443 }] }],
        });
    });

    it("a Gateway the stack does not offer is an error, not a silent gap", () => {
        expect(() => teamNamespaceTraffic({ ...payments, gateways: ["internetFacing"] }, sources)).toThrow(/internetFacing is not offered/);
    });

    it("rendered as Kubernetes NetworkPolicies: default deny first, then the allowed flows, each a valid NetworkPolicy", () => {
        const [traffic] = teamNamespaceTraffic(payments, sources);
        if (!traffic) throw new Error("no traffic");
        const policies = baselinePolicies("kubernetes", traffic, ["10.30.0.0/16"]);
        expect(policies.map((p) => p.metadata.name)).toEqual([
            "baseline-default-deny",
            "baseline-allow-dns",
            "baseline-allow-within-namespace",
            "baseline-allow-pod-identity-agent",
            "baseline-ingress-gateway",
            "baseline-ingress-prometheus-scrape",
            "baseline-egress-payment-provider",
        ]);
        for (const p of policies) new NetworkPolicy(p as never).validate();
        // No API server egress: a team's pods do not watch the cluster.
        expect(policies.some((p) => p.metadata.name.includes("kube-api"))).toBe(false);
    });

    it("rendered as Calico policies: one allow with the agent's address, then the deny", () => {
        const [traffic] = teamNamespaceTraffic(payments, sources);
        if (!traffic) throw new Error("no traffic");
        const [allow, deny] = baselinePolicies("calico", traffic, []);
        expect((allow?.spec.egress as unknown[]).at(-2)).toEqual({
            action: "Allow",
            protocol: "TCP",
            destination: { nets: ["169.254.170.23/32"], ports: [80] },
        });
        expect(deny?.spec).toEqual({ order: 2000, selector: "all()", types: ["Ingress", "Egress"] });
    });
});
