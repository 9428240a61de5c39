// Hand-made plans for the placement check: a managed node group (its launch template's nodeadm user data and its
// subnets), Karpenter NodePools with their EC2NodeClass, and releases whose values come from the components' own
// builders, recorded the way the plan records them.
import { nodeUserData } from "../../components/lib/nodeadm";
import type { PlannedResource, PlanResult } from "../../plan";
import { platformConfigFor } from "../../plan";

const urn = (type: string, name: string) => `urn:pulumi:t::eks-platform::${type}::${name}`;

function resource(type: string, name: string, inputs: Record<string, unknown>, dependencies: string[] = []): PlannedResource {
    return { urn: urn(type, name), type, name, custom: true, dependencies, inputs, protect: false };
}

export const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

/** Private subnets (one per zone) tagged for Karpenter's discovery. */
export function subnets(zones = ZONES): PlannedResource[] {
    return zones.map((zone, i) =>
        resource("aws:ec2/subnet:Subnet", `private-${i}`, { availabilityZone: zone, tags: { "karpenter.sh/discovery": "c" } }),
    );
}

export interface GroupSpec {
    name?: string;
    instanceTypes?: string[];
    arm?: boolean;
    desired?: number;
    min?: number;
    labels?: Record<string, string>;
    taints?: { key: string; value?: string; effect: string }[];
}

/** A managed node group with its launch template (the dev stack's node settings) and subnets. */
export function managedGroup(spec: GroupSpec = {}, nets = subnets()): PlannedResource[] {
    const settings = platformConfigFor("dev").cluster.nodeSettings;
    const lt = resource("aws:ec2/launchTemplate:LaunchTemplate", `${spec.name ?? "system"}-lt`, {
        userData: Buffer.from(nodeUserData(settings, { maxPods: 110 })).toString("base64"),
    });
    const group = resource(
        "eks:index:ManagedNodeGroup",
        spec.name ?? "system",
        {
            instanceTypes: spec.instanceTypes ?? ["t4g.large"],
            amiType: spec.arm === false ? "AL2023_x86_64_STANDARD" : "AL2023_ARM_64_STANDARD",
            capacityType: "ON_DEMAND",
            scalingConfig: { minSize: spec.min ?? spec.desired ?? 2, desiredSize: spec.desired ?? 2, maxSize: 6 },
            labels: spec.labels ?? { "eks-platform/node-group": "system" },
            taints: spec.taints ?? [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        },
        [lt.urn, ...nets.map((n) => n.urn)],
    );
    return [lt, group];
}

export interface PoolSpec {
    name: string;
    capacityTypes?: string[];
    sizes?: string[];
    labels?: Record<string, string>;
    taints?: { key: string; value?: string; effect: string }[];
}

export function nodeClass(): PlannedResource {
    return resource("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "nodeclass-default", {
        metadata: { name: "default" },
        spec: { kubelet: { maxPods: 110 }, subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "c" } }] },
    });
}

export function nodePool(spec: PoolSpec): PlannedResource {
    const requirements: Record<string, unknown>[] = [
        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
        { key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] },
        { key: "karpenter.sh/capacity-type", operator: "In", values: spec.capacityTypes ?? ["on-demand"] },
        { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
    ];
    if (spec.sizes) requirements.push({ key: "karpenter.k8s.aws/instance-size", operator: "In", values: spec.sizes });
    return resource("kubernetes:karpenter.sh/v1:NodePool", `nodepool-${spec.name}`, {
        metadata: { name: spec.name },
        spec: {
            template: {
                metadata: spec.labels ? { labels: spec.labels } : {},
                spec: { requirements, nodeClassRef: { name: "default" }, ...(spec.taints ? { taints: spec.taints } : {}) },
            },
        },
    });
}

/** A Helm release as the plan records it: chart, namespace and the values the builder returned. */
export function release(name: string, chart: string, values: unknown, namespace = "kube-system"): PlannedResource {
    return resource("kubernetes:helm.sh/v3:Release", name, { chart, namespace, values: JSON.parse(JSON.stringify(values)) as unknown });
}

export function planOf(...resources: PlannedResource[]): PlanResult {
    return { project: "eks-platform", stack: "t", resources, outputs: {} };
}
