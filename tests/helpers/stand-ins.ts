// Stand-ins for what the Cluster component hands to the components built on it, so a test can build one component
// alone under the mock runtime: the account context, and a platform context with a Kubernetes provider, the system
// node group (tainted like the real one), the Pod Identity agent add-on and the default StorageClass. Call after
// setupMocks(). `prefix` keeps the names of several stand-in sets in one test file apart.
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { accountContext, type AccountContext, type PlatformContext } from "../../components/lib/context";
import { PLATFORM_POOL_PLACEMENT, SYSTEM_PLACEMENT } from "../../components/lib/placement";
import { MOCK_ACCOUNT_ID } from "../../plan";
import type { PlatformConfig } from "../../stacks/config";

export interface ClusterStandIns {
    k8sProvider: kubernetes.Provider;
    systemNodeGroup: aws.eks.NodeGroup;
    podIdentityAgent: aws.eks.Addon;
    storageClass: kubernetes.storage.v1.StorageClass;
}

/** The account context of a stack's config, with the mock account. */
export function accountContextFor(config: PlatformConfig, prefix = ""): AccountContext {
    return accountContext(
        {
            stack: config.stack,
            environment: config.environment,
            region: config.region,
            clusterName: config.clusterName,
            protect: config.cluster.protect,
        },
        new aws.Provider(`${prefix}aws`, { region: config.region as aws.Region }),
        pulumi.output(MOCK_ACCOUNT_ID),
    );
}

export function clusterStandIns(clusterName: string, prefix = ""): ClusterStandIns {
    const k8sProvider = new kubernetes.Provider(`${prefix}k8s`, { kubeconfig: "{}", clusterIdentifier: clusterName });
    const systemNodeGroup = new aws.eks.NodeGroup(`${prefix}system`, {
        clusterName,
        nodeRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/system-nodes`,
        subnetIds: ["subnet-a"],
        scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 },
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
    });
    const podIdentityAgent = new aws.eks.Addon(`${prefix}pod-identity-agent`, { clusterName, addonName: "eks-pod-identity-agent" });
    const storageClass = new kubernetes.storage.v1.StorageClass(
        `${prefix}gp3`,
        { metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" } },
        { provider: k8sProvider },
    );
    return { k8sProvider, systemNodeGroup, podIdentityAgent, storageClass };
}

/** A platform context for a stack's config: its account, stand-ins for the cluster's handles, the system placement. */
export function platformContextFor(config: PlatformConfig, prefix = ""): PlatformContext & { standIns: ClusterStandIns } {
    const standIns = clusterStandIns(config.clusterName, prefix);
    return {
        ...accountContextFor(config, prefix),
        cluster: {
            clusterName: pulumi.output(config.clusterName),
            endpoint: pulumi.output("https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com"),
            oidcProviderArn: pulumi.output(`arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF`),
            oidcIssuer: pulumi.output("oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF"),
            clusterSecurityGroupId: pulumi.output("sg-cluster"),
        },
        k8sProvider: standIns.k8sProvider,
        systemNodeGroup: standIns.systemNodeGroup,
        podIdentityAgent: standIns.podIdentityAgent,
        defaultStorageClass: { resource: standIns.storageClass, name: standIns.storageClass.metadata.name },
        system: SYSTEM_PLACEMENT,
        platform: PLATFORM_POOL_PLACEMENT,
        standIns,
    };
}
