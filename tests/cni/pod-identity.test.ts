// Issue 11, item 6: a namespace with Pod Identity workloads keeps egress to the EKS Pod Identity agent under the
// baseline default deny, in both policy forms; and in every shipped plan, every namespace a PodIdentityAssociation
// targets that has baseline policies lets its pods reach the agent.
import { describe, expect, it } from "vitest";
import { calicoBaselinePolicies, kubernetesBaselinePolicies, type NamespaceTraffic, type PolicyObject } from "../../components/cni";
import { POD_IDENTITY_AGENT } from "../../components/lib/contracts";
import type { PlannedResource } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";

const traffic = (podIdentity: boolean): NamespaceTraffic => ({
    namespace: "monitoring",
    withinNamespace: true,
    kubeApi: true,
    podIdentity,
    ingress: [],
    egress: [{ name: "aws-apis", cidrs: ["0.0.0.0/0"], ports: [{ port: 443 }] }],
});

/** Whether a policy object lets the namespace's pods reach `cidr` on TCP `port` (either form). */
function allowsEgressTo(policy: Pick<PolicyObject, "apiVersion" | "spec">, cidr: string, port: number): boolean {
    if (policy.apiVersion === "networking.k8s.io/v1") {
        const egress = (policy.spec.egress ?? []) as {
            to?: { ipBlock?: { cidr: string } }[];
            ports?: { protocol?: string; port: number }[];
        }[];
        return egress.some(
            (e) =>
                (e.to ?? []).some((t) => t.ipBlock?.cidr === cidr) &&
                (e.ports ?? []).some((p) => p.port === port && (p.protocol ?? "TCP") === "TCP"),
        );
    }
    const egress = (policy.spec.egress ?? []) as {
        action: string;
        protocol?: string;
        destination?: { nets?: string[]; ports?: number[] };
    }[];
    return egress.some(
        (e) =>
            e.action === "Allow" && e.protocol === "TCP" && !!e.destination?.nets?.includes(cidr) && !!e.destination.ports?.includes(port),
    );
}

describe("baseline egress to the Pod Identity agent", () => {
    it("Kubernetes form: a policy to 169.254.170.23/32 TCP 80 when the namespace has Pod Identity workloads, none otherwise", () => {
        const withAgent = kubernetesBaselinePolicies(traffic(true), ["10.0.0.0/16"]);
        expect(withAgent.filter((p) => allowsEgressTo(p, POD_IDENTITY_AGENT.ipv4, 80)).map((p) => p.metadata.name)).toEqual([
            "baseline-allow-pod-identity-agent",
        ]);
        expect(
            kubernetesBaselinePolicies(traffic(false), ["10.0.0.0/16"]).some((p) => allowsEgressTo(p, POD_IDENTITY_AGENT.ipv4, 80)),
        ).toBe(false);
    });

    it("Calico form: the allow policy carries the agent's address and port", () => {
        const [allow] = calicoBaselinePolicies(traffic(true));
        expect(allow && allowsEgressTo(allow, "169.254.170.23/32", 80)).toBe(true);
        const [without] = calicoBaselinePolicies(traffic(false));
        expect(without && allowsEgressTo(without, "169.254.170.23/32", 80)).toBe(false);
    });

    it("IPv6 clusters use the agent's IPv6 address", () => {
        expect(
            kubernetesBaselinePolicies(traffic(true), ["10.0.0.0/16"], "ipv6").some((p) => allowsEgressTo(p, "fd00:ec2::23/128", 80)),
        ).toBe(true);
        const [allow] = calicoBaselinePolicies(traffic(true), "ipv6");
        expect(allow && allowsEgressTo(allow, "fd00:ec2::23/128", 80)).toBe(true);
    });
});

describe("the shipped plans: every Pod Identity namespace under a baseline policy reaches the agent", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        it(stack, () => {
            const resources = sharedPlan(stack).resources;
            const policies = resources.filter(
                (r: PlannedResource) => r.type.endsWith(":NetworkPolicy") && r.name.startsWith("network-baseline-"),
            );
            const namespaceOf = (r: PlannedResource) => (r.inputs.metadata as { namespace: string }).namespace;
            const guarded = new Set(policies.map(namespaceOf));
            const podIdentityNamespaces = new Set(
                resources
                    .filter((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation")
                    .map((r) => String(r.inputs.namespace)),
            );
            const checked = [...podIdentityNamespaces].filter((ns) => guarded.has(ns));
            expect(checked.length, "no Pod Identity namespace has baseline policies: the check checks nothing").toBeGreaterThan(0);
            for (const ns of checked) {
                const inNamespace = policies.filter((p) => namespaceOf(p) === ns);
                expect(
                    inNamespace.some((p) =>
                        allowsEgressTo(
                            { apiVersion: String(p.inputs.apiVersion), spec: p.inputs.spec as Record<string, unknown> },
                            // The agent's documented address and port (EKS user guide), not the constant under test.
                            "169.254.170.23/32",
                            80,
                        ),
                    ),
                    `${ns}: no egress to the Pod Identity agent`,
                ).toBe(true);
            }
        });
    }
});
