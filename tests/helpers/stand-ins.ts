// Stand-ins for what the Cluster component hands to the components built on it (see ClusterOutputs), so a test can
// build one component alone under the mock runtime: the Kubernetes provider, the system node group (tainted like the
// real one) and, when asked, the Pod Identity agent add-on. Call after setupMocks().
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import { MOCK_ACCOUNT_ID } from "../../plan";

export interface ClusterStandIns {
    k8sProvider: kubernetes.Provider;
    systemNodeGroup: aws.eks.NodeGroup;
    podIdentityAgent: aws.eks.Addon;
}

export function clusterStandIns(clusterName: string, prefix?: string): Omit<ClusterStandIns, "podIdentityAgent">;
export function clusterStandIns(clusterName: string, prefix: string, withPodIdentityAgent: true): ClusterStandIns;
export function clusterStandIns(clusterName: string, prefix = "", withPodIdentityAgent = false): Partial<ClusterStandIns> {
    const k8sProvider = new kubernetes.Provider(`${prefix}k8s`, { kubeconfig: "{}", clusterIdentifier: clusterName });
    const systemNodeGroup = new aws.eks.NodeGroup(`${prefix}system`, {
        clusterName,
        nodeRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/system-nodes`,
        subnetIds: ["subnet-a"],
        scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 },
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
    });
    if (!withPodIdentityAgent) return { k8sProvider, systemNodeGroup };
    const podIdentityAgent = new aws.eks.Addon(`${prefix}pod-identity-agent`, { clusterName, addonName: "eks-pod-identity-agent" });
    return { k8sProvider, systemNodeGroup, podIdentityAgent };
}
