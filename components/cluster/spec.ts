// Pure parts of the Cluster component: access entries, the secrets key policy, the node role trust, the system node
// group's launch template and the managed add-on plan. Plain values in, plain objects out (tests/cluster.test.ts).
import type { PlatformConfig } from "../../stacks/config";
import type { AddonSpec } from "../lib/addons";
import { accountOwnedKeyPolicy, policyDocument, type PolicyDocument } from "../lib/iam";
import { SYSTEM_TOLERATION } from "../lib/placement";

type ClusterSettings = PlatformConfig["cluster"];
type AccessPolicyName = ClusterSettings["accessEntries"][number]["accessPolicy"];

/** The EKS access policy (cluster-access-policy/<name>) behind each short name the config accepts. */
export const ACCESS_POLICIES: Readonly<Record<AccessPolicyName, string>> = {
    "cluster-admin": "AmazonEKSClusterAdminPolicy",
    admin: "AmazonEKSAdminPolicy",
    edit: "AmazonEKSEditPolicy",
    view: "AmazonEKSViewPolicy",
};

/** EKS-optimized AL2023 AMI type for an architecture (nodeadm; EKS merges our NodeConfig with its own). */
export function amiTypeFor(
    architecture: ClusterSettings["systemNodeGroup"]["architecture"],
): "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD" {
    return architecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/** IMDSv2 only, and a hop limit of 1 so pods cannot reach the node's credentials (they use Pod Identity). */
export const LAUNCH_TEMPLATE_METADATA_OPTIONS = {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: "disabled",
} as const;

/** Encrypted gp3 root volume for AL2023 (/dev/xvda). */
export function rootVolume(diskSizeGiB: number) {
    return {
        deviceName: "/dev/xvda",
        ebs: { volumeSize: diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
    } as const;
}

export interface AccessEntrySpec {
    principalArn: string;
    type: "STANDARD";
    accessPolicies: Record<string, { policyArn: string; accessScope: { type: "cluster" } | { type: "namespace"; namespaces: string[] } }>;
}

/**
 * Access entries by a stable key derived from the principal (the role or user name): EKS API authentication mode,
 * no aws-auth ConfigMap. Namespaced entries get a namespace-scoped policy association.
 */
export function accessEntriesFor(entries: ClusterSettings["accessEntries"], partition: string): Record<string, AccessEntrySpec> {
    const out: Record<string, AccessEntrySpec> = {};
    for (const entry of entries) {
        const principalName = entry.principalArn.split("/").pop() ?? entry.principalArn;
        let key = principalName.toLowerCase().replace(/[^a-z0-9-]/g, "-");
        for (let n = 2; key in out; n++) key = `${principalName.toLowerCase().replace(/[^a-z0-9-]/g, "-")}-${n}`;
        const policy = ACCESS_POLICIES[entry.accessPolicy];
        out[key] = {
            principalArn: entry.principalArn,
            type: "STANDARD",
            accessPolicies: {
                [entry.accessPolicy]: {
                    policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${policy}`,
                    accessScope:
                        entry.namespaces && entry.namespaces.length > 0
                            ? { type: "namespace", namespaces: [...entry.namespaces] }
                            : { type: "cluster" },
                },
            },
        };
    }
    return out;
}

/** The Pulumi name of a principal's access entry (its association adds `-<policy>`): a rename replaces it. */
export const accessEntryResourceName = (componentName: string, key: string): string => `${componentName}-access-${key}`;

/** The command a person runs for kubectl access with their own credentials (a stack output, plain text). */
export const kubeconfigCommand = (clusterName: string, region: string): string =>
    `aws eks update-kubeconfig --name ${clusterName} --region ${region}`;

/**
 * Kubernetes provider flags the @pulumi/kubernetes SDK fills from PULUMI_K8S_* environment variables when unset
 * (provider.js in @pulumi/kubernetes 4.34), pinned to the provider's documented defaults so the deployer's
 * environment cannot change the provider's declared config.
 */
export const PINNED_PROVIDER_FLAGS = {
    deleteUnreachable: false,
    enableConfigMapMutable: false,
    enablePatchForce: false,
    enableSecretMutable: false,
    skipUpdateUnreachable: false,
    suppressDeprecationWarnings: false,
    suppressHelmHookWarnings: false,
    upsertExistingObjects: false,
} as const;

/**
 * Key policy of the secrets-encryption key: the account owns it and delegates use to IAM (the root statement of
 * AWS's default key policy). EKS needs no statement of its own: the identity creating the cluster creates the grant.
 */
export const secretsKeyPolicy = accountOwnedKeyPolicy;

/** Trust policy of the system node role: EC2 instances of this account. */
export function nodeRoleTrustPolicy(accountId: string): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { Service: "ec2.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
}

/** Managed policies of the system node role. The CNI policy only while the VPC CNI runs on the nodes. */
export function nodeRoleManagedPolicies(vpcCniInstalled: boolean): string[] {
    return [
        "AmazonEKSWorkerNodePolicy",
        "AmazonEC2ContainerRegistryPullOnly",
        "AmazonSSMManagedInstanceCore",
        ...(vpcCniInstalled ? ["AmazonEKS_CNI_Policy"] : []),
    ];
}

/** When an add-on is created relative to the system node group. */
export type AddonPhase = "beforeCompute" | "afterCompute";

export interface ClusterAddonSpec extends AddonSpec {
    key: "vpc-cni" | "kube-proxy" | "pod-identity-agent" | "coredns" | "ebs-csi-driver" | "efs-csi-driver" | "metrics-server";
    phase: AddonPhase;
}

/**
 * The managed add-ons and when they are created. DaemonSets that nodes need to become Ready (VPC CNI, kube-proxy,
 * the Pod Identity agent) come before the system node group, like terraform-aws-eks' `before_compute`, so the first
 * nodes start with the configured CNI; Deployments (CoreDNS, EBS CSI controller, metrics-server) need nodes to turn
 * ACTIVE and come after. Every Deployment tolerates the system taint.
 */
export function addonPlan(
    settings: ClusterSettings,
    vpcCni: { install: boolean; configurationValues: Record<string, unknown> },
    clusterName: string,
    options: { efsCsiDriver?: boolean } = {},
): ClusterAddonSpec[] {
    const v = settings.addons;
    const tolerations = [SYSTEM_TOLERATION];
    const plan: ClusterAddonSpec[] = [];
    if (vpcCni.install)
        plan.push({
            key: "vpc-cni",
            addonName: "vpc-cni",
            version: v.vpcCni,
            phase: "beforeCompute",
            configurationValues: vpcCni.configurationValues,
        });
    plan.push(
        { key: "kube-proxy", addonName: "kube-proxy", version: v.kubeProxy, phase: "beforeCompute" },
        { key: "pod-identity-agent", addonName: "eks-pod-identity-agent", version: v.podIdentityAgent, phase: "beforeCompute" },
        { key: "coredns", addonName: "coredns", version: v.coredns, phase: "afterCompute", configurationValues: { tolerations } },
        {
            key: "ebs-csi-driver",
            addonName: "aws-ebs-csi-driver",
            version: v.ebsCsiDriver,
            phase: "afterCompute",
            // The default StorageClass is ours (encrypted gp3), not the add-on's.
            configurationValues: { controller: { tolerations }, defaultStorageClass: { enabled: false } },
            identityName: "ebs-csi",
            podIdentity: {
                namespace: "kube-system",
                serviceAccount: "ebs-csi-controller-sa",
                managedPolicies: ["AmazonEBSCSIDriverPolicyV2"],
                description: `EBS CSI driver controller of ${clusterName} (Pod Identity)`,
            },
        },
        ...(options.efsCsiDriver ? [efsCsiDriverAddon(v.efsCsiDriver, clusterName)] : []),
        {
            key: "metrics-server",
            addonName: "metrics-server",
            version: v.metricsServer,
            phase: "afterCompute",
            configurationValues: { tolerations },
        },
    );
    return plan;
}

/** The EFS CSI driver's controller service account (kubernetes-sigs/aws-efs-csi-driver docs/iam-policy-create.md). */
export const EFS_CSI_CONTROLLER_SERVICE_ACCOUNT = "efs-csi-controller-sa";

/**
 * The aws-efs-csi-driver add-on: its controller (which creates and deletes the access points) tolerates the system
 * taint and gets AmazonEFSCSIDriverPolicy through Pod Identity on kube-system/efs-csi-controller-sa, the driver's
 * recommended way (kubernetes-sigs/aws-efs-csi-driver docs/iam-policy-create.md, "EKS Pod Identity"). The node
 * DaemonSet needs no role for EFS (only for S3 Files and efs-utils logging, neither used here). No StorageClass
 * comes from the add-on: the storage component makes its own, naming the stack's file system.
 */
export function efsCsiDriverAddon(version: string, clusterName: string): ClusterAddonSpec {
    return {
        key: "efs-csi-driver",
        addonName: "aws-efs-csi-driver",
        version,
        phase: "afterCompute",
        // controller.tolerations is in the add-on's configuration schema (kubernetes-sigs/aws-efs-csi-driver#1181, v1.7.0-eksbuild.1).
        configurationValues: { controller: { tolerations: [SYSTEM_TOLERATION] } },
        podIdentity: {
            namespace: "kube-system",
            serviceAccount: EFS_CSI_CONTROLLER_SERVICE_ACCOUNT,
            managedPolicies: ["AmazonEFSCSIDriverPolicy"],
            description: `EFS CSI driver controller of ${clusterName} (Pod Identity)`,
        },
    };
}

/** The default StorageClass: encrypted gp3 through the EBS CSI driver, bound where the pod lands. */
export function defaultStorageClassSpec(name = "gp3") {
    return {
        metadata: { name, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true", fsType: "ext4" },
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        reclaimPolicy: "Delete",
    };
}
