// eks-platform:cluster:Cluster — the EKS control plane (@pulumi/eks), its secrets key and log group, the system
// managed node group (AL2023, nodeadm user data, tainted CriticalAddonsOnly), the managed add-ons, the default
// encrypted gp3 StorageClass and the Kubernetes provider every other component uses.
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import { eksAddon } from "../lib/addons";
import type { AccountContext } from "../lib/context";
import type { ClusterOutputs, NetworkOutputs } from "../lib/contracts";
import { createSweepAnchor } from "../lib/destroy-hooks";
import type { PodIdentityScope } from "../lib/iam";
import { nodeUserData } from "../lib/nodeadm";
import { eksTaint, SYSTEM_NODE_LABELS, SYSTEM_TAINT } from "../lib/placement";
import {
    accessEntriesFor,
    accessEntryResourceName,
    addonPlan,
    amiTypeFor,
    defaultStorageClassSpec,
    LAUNCH_TEMPLATE_METADATA_OPTIONS,
    nodeRoleManagedPolicies,
    nodeRoleTrustPolicy,
    kubeconfigCommand,
    PINNED_PROVIDER_FLAGS,
    rootVolume,
    secretsKeyPolicy,
} from "./spec";

export * from "./spec";

export interface ClusterArgs {
    ctx: AccountContext;
    /** The stack's cluster settings. */
    config: PlatformConfig["cluster"];
    network: Pick<NetworkOutputs, "vpcId" | "publicSubnetIds" | "privateSubnetIds">;
    /** Max pods per system node, matched to the CNI mode (index.ts computes it); nodeadm's default when unset. */
    maxPods?: number;
    /** Whether the vpc-cni add-on runs, and its configuration (from the CNI component's settings). */
    vpcCni: { install: boolean; configurationValues: Record<string, unknown> };
    /**
     * The EFS CSI driver add-on (eks-platform:storage.efs.csiDriver), and what it waits for: the file system's mount
     * targets, so that a destroy deletes the driver (after everything that uses its volumes) before them.
     */
    efsCsiDriver?: { dependsOn: pulumi.Resource[] };
}

export class Cluster extends pulumi.ComponentResource implements ClusterOutputs {
    readonly clusterName: pulumi.Output<string>;
    readonly eksCluster: pulumi.Output<aws.eks.Cluster>;
    readonly endpoint: pulumi.Output<string>;
    readonly certificateAuthority: pulumi.Output<string>;
    readonly serviceCidr: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcIssuer: pulumi.Output<string>;
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly k8sProvider: kubernetes.Provider;
    readonly systemNodeGroup: eks.ManagedNodeGroup;
    readonly systemNodeRoleArn: pulumi.Output<string>;
    readonly defaultStorageClassName: pulumi.Output<string>;
    readonly defaultStorageClass: kubernetes.storage.v1.StorageClass;
    readonly podIdentityAgent: pulumi.Resource;
    /** The customer-managed key encrypting Kubernetes secrets. */
    readonly secretsKeyArn: pulumi.Output<string>;
    readonly controlPlaneLogGroupName: pulumi.Output<string>;
    /** Every managed add-on, by short key (vpc-cni, coredns, ...). */
    readonly addons: Record<string, aws.eks.Addon>;
    /** EKS access entries and their policy associations, by the principal's key (accessEntriesFor). */
    readonly accessEntries: Record<string, { entry: aws.eks.AccessEntry; associations: aws.eks.AccessPolicyAssociation[] }>;
    /** What a person runs for kubectl access (their own credentials, this cluster and region). */
    readonly kubeconfigCommand: string;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:cluster:Cluster", name, {}, opts);
        const { config, ctx } = args;
        const { clusterName, partition, accountId } = ctx;
        const parent = { parent: this };
        const stateful = { parent: this, protect: ctx.protect };

        const secretsKey = new aws.kms.Key(
            `${name}-secrets`,
            {
                description: `Envelope encryption of Kubernetes secrets in EKS cluster ${clusterName}`,
                enableKeyRotation: true,
                deletionWindowInDays: config.kmsKeyDeletionWindowDays,
                policy: accountId.apply((account) => JSON.stringify(secretsKeyPolicy(account, partition))),
            },
            stateful,
        );
        new aws.kms.Alias(`${name}-secrets`, { name: `alias/${clusterName}-secrets`, targetKeyId: secretsKey.keyId }, parent);
        this.secretsKeyArn = secretsKey.arn;

        // EKS writes control-plane logs to this exact name; made first so it gets our retention, not "never expire".
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            { name: `/aws/eks/${clusterName}/cluster`, retentionInDays: config.logRetentionDays },
            parent,
        );
        this.controlPlaneLogGroupName = logGroup.name;

        // `protect` on the component reaches every child its provider builds: the control plane, its service role
        // (eks:index:ServiceRole, an IAM role and its AmazonEKSClusterPolicy attachment), the IAM OIDC provider and the
        // component's own Kubernetes provider. All of them live and die with the control plane, so protecting them
        // blocks exactly what must not happen by accident. Access entries are NOT children (declared below, never
        // protected), so access changes in prod go through. EKS deletion protection guards the control plane too.
        const cluster = new eks.Cluster(
            `${name}-eks`,
            {
                name: clusterName,
                version: config.kubernetesVersion,
                vpcId: args.network.vpcId,
                publicSubnetIds: args.network.publicSubnetIds,
                privateSubnetIds: args.network.privateSubnetIds,
                endpointPrivateAccess: config.endpoint.privateAccess,
                endpointPublicAccess: config.endpoint.publicAccess,
                publicAccessCidrs: config.endpoint.publicAccess ? [...config.endpoint.publicAccessCidrs] : undefined,
                authenticationMode: "API",
                encryptionConfigKeyArn: secretsKey.arn,
                enabledClusterLogTypes: [...config.logTypes],
                createOidcProvider: true,
                kubernetesServiceIpAddressRange: config.serviceCidr,
                ipFamily: "ipv4",
                upgradePolicy: { supportType: config.upgradePolicy.supportType },
                deletionProtection: ctx.protect,
                // No default node group, no instance role, no component security groups: the EKS-created cluster
                // security group is the one nodes (system and Karpenter) share.
                skipDefaultNodeGroup: true,
                createInstanceRole: false,
                skipDefaultSecurityGroups: true,
                // No self-managed aws-node/kube-proxy/CoreDNS and none of the component's own add-ons: every add-on
                // below is an aws.eks.Addon with a pinned version, so nothing is installed twice.
                bootstrapSelfManagedAddons: false,
                useDefaultVpcCni: true,
                corednsAddonOptions: { enabled: false },
                kubeProxyAddonOptions: { enabled: false },
                // The declared state must not depend on who deploys: without explicit credential options the
                // component copies the deployer's AWS_PROFILE (or aws:profile) into its Kubernetes provider's
                // kubeconfig as `--profile` (pulumi-eks v4.3.0 cluster.ts createCluster). An explicit empty set keeps
                // the default credential chain, so a laptop `up` and CI's drift check declare the same provider; the
                // flag below is read from PULUMI_K8S_ENABLE_CONFIGMAP_MUTABLE when left unset.
                providerCredentialOpts: {},
                enableConfigMapMutable: false,
            },
            { ...stateful, dependsOn: [logGroup] },
        );
        this.eksCluster = cluster.eksCluster;
        this.clusterName = cluster.eksCluster.apply((c) => c.name);
        this.endpoint = cluster.eksCluster.apply((c) => c.endpoint);
        this.certificateAuthority = cluster.eksCluster.apply((c) => c.certificateAuthority.data);
        this.serviceCidr = cluster.eksCluster.apply(() => config.serviceCidr);
        this.oidcProviderArn = cluster.oidcProviderArn;
        this.oidcIssuer = cluster.oidcIssuer;
        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        this.kubeconfigCommand = kubeconfigCommand(clusterName, ctx.region);

        // Access entries and their policy associations, ours rather than the component's, so `protect` never reaches
        // them. EKS identifies both by principal (and policy), not by their Pulumi name: a replacement created first
        // would collide with, or be undone by, the deletion of the old one, hence deleteBeforeReplace. The association
        // takes the principal from the entry, so replacing an entry (EKS drops its associations) replaces them too.
        this.accessEntries = {};
        for (const [key, spec] of Object.entries(accessEntriesFor(config.accessEntries, partition))) {
            const entryName = accessEntryResourceName(name, key);
            const entry = new aws.eks.AccessEntry(
                entryName,
                { clusterName: this.clusterName, principalArn: spec.principalArn, type: spec.type },
                { parent: this, deleteBeforeReplace: true },
            );
            const associations = Object.entries(spec.accessPolicies).map(
                ([policy, association]) =>
                    new aws.eks.AccessPolicyAssociation(
                        `${entryName}-${policy}`,
                        {
                            clusterName: this.clusterName,
                            principalArn: entry.principalArn,
                            policyArn: association.policyArn,
                            accessScope: association.accessScope,
                        },
                        { parent: this, deleteBeforeReplace: true },
                    ),
            );
            this.accessEntries[key] = { entry, associations };
        }

        // The destroy-time sweep (components/lib/destroy-hooks.ts) runs before this anchor is deleted: after every
        // Kubernetes resource (they use the provider below) and the system node group, before the control plane.
        const sweepAnchor = createSweepAnchor(
            `${name}-destroy-sweep`,
            {
                clusterName: this.clusterName,
                region: ctx.region,
                vpcId: args.network.vpcId,
                cluster,
                hook: { clusterName, region: ctx.region },
            },
            parent,
        );
        this.k8sProvider = new kubernetes.Provider(
            `${name}-k8s`,
            // Flags the provider SDK would otherwise read from PULUMI_K8S_* in the deployer's environment are pinned to
            // the provider's defaults, so the provider's declared config is the same wherever `up` runs.
            { kubeconfig: this.kubeconfig, clusterIdentifier: clusterName, enableServerSideApply: true, ...PINNED_PROVIDER_FLAGS },
            { parent: this, dependsOn: [sweepAnchor] },
        );

        const plan = addonPlan(config, args.vpcCni, clusterName, { efsCsiDriver: args.efsCsiDriver !== undefined });
        this.addons = {};
        // Add-ons created before the nodes have no Pod Identity role (the agent itself is one of them).
        for (const spec of plan.filter((a) => a.phase === "beforeCompute"))
            this.addons[spec.key] = eksAddon(name, { clusterName: this.clusterName }, spec, { parent: this, dependsOn: [cluster] }).addon;
        this.podIdentityAgent = this.addons["pod-identity-agent"] as aws.eks.Addon;

        // --- system node group
        const nodeRole = new aws.iam.Role(
            `${name}-system-node`,
            {
                description: `System managed node group of ${clusterName}`,
                assumeRolePolicy: accountId.apply((account) => JSON.stringify(nodeRoleTrustPolicy(account))),
            },
            parent,
        );
        const nodePolicies = nodeRoleManagedPolicies(args.vpcCni.install).map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-system-node-${policy}`,
                    { role: nodeRole.name, policyArn: `arn:${partition}:iam::aws:policy/${policy}` },
                    parent,
                ),
        );
        this.systemNodeRoleArn = nodeRole.arn;

        const group = config.systemNodeGroup;
        const userData = nodeUserData(config.nodeSettings, { maxPods: args.maxPods });
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-system`,
            {
                description: `System node group of ${clusterName}: IMDSv2, encrypted gp3, nodeadm settings`,
                metadataOptions: { ...LAUNCH_TEMPLATE_METADATA_OPTIONS },
                blockDeviceMappings: [rootVolume(group.diskSizeGiB)],
                userData: Buffer.from(userData, "utf8").toString("base64"),
                updateDefaultVersion: true,
                tagSpecifications: [
                    { resourceType: "instance", tags: { Name: `${clusterName}-system` } },
                    { resourceType: "volume", tags: { Name: `${clusterName}-system` } },
                ],
            },
            parent,
        );
        this.systemNodeGroup = new eks.ManagedNodeGroup(
            `${name}-system`,
            {
                cluster,
                nodeGroupNamePrefix: "system-",
                amiType: amiTypeFor(group.architecture),
                instanceTypes: [...group.instanceTypes],
                capacityType: group.capacityType,
                scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
                subnetIds: args.network.privateSubnetIds,
                nodeRoleArn: nodeRole.arn,
                launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
                // With a launch template @pulumi/eks sets no version (pulumi-eks v4.3.0 nodes/nodegroup.ts createManagedNodeGroup), so the nodes
                // would stay behind a control-plane upgrade. The template names no AMI, so EKS takes both from here;
                // the group waits for the control plane (clusterName), so an upgrade moves the control plane first.
                version: config.kubernetesVersion,
                ...(group.releaseVersion ? { releaseVersion: group.releaseVersion } : {}),
                taints: [eksTaint(SYSTEM_TAINT)],
                labels: { ...SYSTEM_NODE_LABELS },
            },
            { parent: this, dependsOn: [...Object.values(this.addons), ...nodePolicies, sweepAnchor] },
        );

        // --- add-ons that need nodes (Deployments), with their Pod Identity roles
        const scope: PodIdentityScope = { clusterName: this.clusterName, accountId, partition, podIdentityAgent: this.podIdentityAgent };
        for (const spec of plan.filter((a) => a.phase === "afterCompute")) {
            const extra = spec.key === "efs-csi-driver" ? (args.efsCsiDriver?.dependsOn ?? []) : [];
            this.addons[spec.key] = eksAddon(name, scope, spec, { parent: this, dependsOn: [this.systemNodeGroup, ...extra] }).addon;
        }

        const storageClass = defaultStorageClassSpec();
        this.defaultStorageClass = new kubernetes.storage.v1.StorageClass(`${name}-gp3`, storageClass, {
            parent: this,
            provider: this.k8sProvider,
            dependsOn: [this.addons["ebs-csi-driver"] as aws.eks.Addon],
        });
        this.defaultStorageClassName = this.defaultStorageClass.metadata.name;

        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            oidcProviderArn: this.oidcProviderArn,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            kubeconfig: this.kubeconfig,
            systemNodeRoleArn: this.systemNodeRoleArn,
            secretsKeyArn: this.secretsKeyArn,
            defaultStorageClassName: this.defaultStorageClassName,
        });
    }
}
