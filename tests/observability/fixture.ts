// Builds the Observability component alone under the mock runtime, with stand-ins for what the Cluster, Karpenter
// and Ingress components hand it (a Kubernetes provider, the system node group, the gp3 StorageClass, the Pod
// Identity agent add-on, the internal shared Gateway). One call per test file: Pulumi's state is global.
import * as kubernetes from "@pulumi/kubernetes";
import { loadBalancerControllerMetrics } from "../../components/ingress/values";
import { karpenterMetrics } from "../../components/karpenter/values";
import type { GatewayAttachment } from "../../components/lib/contracts";
import { Observability } from "../../components/observability";
import { settle, setupMocks, type PlannedResource, type Recorder, type StackSource } from "../../plan";
import { platformContextFor } from "../helpers/stand-ins";

export const RELEASE = "kubernetes:helm.sh/v3:Release";

export interface ObservabilityPlan {
    recorder: Recorder;
    component: Observability;
    config: ReturnType<typeof setupMocks>["config"];
    standIns: {
        systemNodeGroup: PlannedResource;
        storageClass: PlannedResource;
        podIdentityAgent: PlannedResource;
        internalGateway: PlannedResource;
    };
    /** The internal Gateway's attachment as the Ingress component would hand it. */
    grafanaGateway: GatewayAttachment;
}

export async function planObservability(source: StackSource | string): Promise<ObservabilityPlan> {
    const { config, recorder } = setupMocks(source);
    const ctx = platformContextFor(config);
    const provider = ctx.k8sProvider;
    const gateway = new kubernetes.apiextensions.CustomResource(
        "internal-gateway",
        { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "internal", namespace: "gateway-system" } },
        { provider },
    );
    const grafanaGateway: GatewayAttachment = {
        namespace: "gateway-system",
        name: "internal",
        sectionName: "https",
        namespaceLabel: { key: "eks-platform/gateway-internal", value: "true" },
        targetType: "ip",
        targetSourceCidrs: ["10.20.32.0/19", "10.20.64.0/19"],
        gateway,
    };
    const component = new Observability("observability", {
        ctx,
        config: config.observability,
        scrapeTargets: {
            karpenter: karpenterMetrics(config.karpenter.namespace),
            loadBalancerController: loadBalancerControllerMetrics({}),
        },
        grafanaGateway,
        vpcCidr: "10.20.0.0/16",
    });
    await settle();
    return {
        recorder,
        component,
        config,
        standIns: {
            systemNodeGroup: recorder.one("aws:eks/nodeGroup:NodeGroup", "system"),
            storageClass: recorder.one("kubernetes:storage.k8s.io/v1:StorageClass", "gp3"),
            podIdentityAgent: recorder.one("aws:eks/addon:Addon", "pod-identity-agent"),
            internalGateway: recorder.one("kubernetes:gateway.networking.k8s.io/v1:Gateway", "internal-gateway"),
        },
        grafanaGateway,
    };
}

/** A release of the component by its Helm release name. */
export function release(recorder: Recorder, helmName: string): PlannedResource {
    const found = recorder.byType(RELEASE).filter((r) => r.inputs.name === helmName);
    if (found.length !== 1) throw new Error(`expected one release named ${helmName}, found ${found.length}`);
    return found[0] as PlannedResource;
}

export const releaseNames = (recorder: Recorder) =>
    recorder
        .byType(RELEASE)
        .filter((r) => r.parent?.endsWith("::observability"))
        .map((r) => r.inputs.name as string)
        .sort();

/** Reads a nested value of a recorded input by dotted path (keys with dots are given as array items). */
export function at(value: unknown, ...path: string[]): unknown {
    let node = value;
    for (const key of path) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string, unknown>)[key];
    }
    return node;
}

/** The resources parented (directly) to the Observability component. */
export const children = (recorder: Recorder) =>
    recorder.resources.filter((r) => r.parent?.endsWith("eks-platform:observability:Observability::observability"));

/** The recorded IAM policy documents of the inline policies of a role named like `prefix`. */
export function inlinePolicy(
    recorder: Recorder,
    name: string,
): { Statement: { Action: string | string[]; Resource?: string | string[]; Effect: string }[] } {
    const policy = recorder.one("aws:iam/rolePolicy:RolePolicy", name);
    return JSON.parse(policy.inputs.policy as string) as {
        Statement: { Action: string | string[]; Resource?: string | string[]; Effect: string }[];
    };
}
