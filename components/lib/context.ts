// The one context every component takes: built once in index.ts, first for the account (before the cluster exists),
// then for the platform (with the cluster's handles). Components read their own config slice beside it; they never
// look up the account, the partition or the system placement themselves.
import type * as aws from "@pulumi/aws";
import type * as kubernetes from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../stacks/config";
import type { ClusterOutputs } from "./contracts";
import { PLATFORM_POOL_PLACEMENT, SYSTEM_PLACEMENT, type Placement } from "./placement";

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

/** The AWS partition of a region (ARNs are built without a lookup, so they are plain strings in the plan). */
export function partitionOf(region: string): Partition {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/** The partition's DNS suffix (service principals such as ec2.amazonaws.com.cn). */
export const dnsSuffixOf = (partition: Partition): string => (partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com");

/** What every component knows about where it is deployed. */
export interface AccountContext {
    stack: string;
    environment: Environment;
    region: string;
    /** The EKS cluster name (config): the value of every discovery and ownership tag. */
    clusterName: string;
    partition: Partition;
    dnsSuffix: string;
    /** The deploying account (one lookup, shared). */
    accountId: pulumi.Output<string>;
    awsProvider: aws.Provider;
    /** `protect` the stateful resources (the control plane, KMS keys, buckets, file systems). */
    protect: boolean;
}

/** The account context plus the cluster's handles: what the components built on the cluster take. */
export interface PlatformContext extends AccountContext {
    cluster: Pick<ClusterOutputs, "clusterName" | "endpoint" | "oidcProviderArn" | "oidcIssuer" | "clusterSecurityGroupId">;
    /** The explicit Kubernetes provider every Kubernetes resource uses. */
    k8sProvider: kubernetes.Provider;
    /** Controllers' releases wait for it (somewhere to run) and are deleted before it. */
    systemNodeGroup: pulumi.Resource;
    /** Every Pod Identity association's pods need the agent running. */
    podIdentityAgent: pulumi.Resource;
    defaultStorageClass: { resource: pulumi.Resource; name: pulumi.Output<string> };
    /** Where platform controllers run: the system nodes. */
    system: Placement;
    /** Where the platform's stateful and monitoring workloads run: the platform NodePool (on-demand). */
    platform: Placement;
}

export interface AccountContextInput {
    stack: string;
    environment: Environment;
    region: string;
    clusterName: string;
    protect: boolean;
}

export function accountContext(input: AccountContextInput, awsProvider: aws.Provider, accountId: pulumi.Output<string>): AccountContext {
    const partition = partitionOf(input.region);
    return { ...input, partition, dnsSuffix: dnsSuffixOf(partition), accountId, awsProvider };
}

export function platformContext(account: AccountContext, cluster: ClusterOutputs): PlatformContext {
    return {
        ...account,
        cluster,
        k8sProvider: cluster.k8sProvider,
        systemNodeGroup: cluster.systemNodeGroup,
        podIdentityAgent: cluster.podIdentityAgent,
        defaultStorageClass: { resource: cluster.defaultStorageClass, name: cluster.defaultStorageClassName },
        system: SYSTEM_PLACEMENT,
        platform: PLATFORM_POOL_PLACEMENT,
    };
}
