// The children and outputs of @pulumi/eks v4.3.0's remote components, as its provider process builds them
// (pulumi/pulumi-eks@v4.3.0 nodejs/eks: cluster/cluster.ts createCluster/createCore, cluster/authenticationMode.ts
// createAccessEntries, servicerole.ts, nodes/nodegroup.ts createManagedNodeGroup). Under Pulumi's mocks a remote
// component is one registration with its inputs; this module registers the children the real one would, with the
// inputs, names, parents, options and dependency edges the real code gives them, so the plan and the policies see
// what a real `up` declares. Only the shape this project uses is modeled; anything else fails loudly.
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    CUSTOM_LAUNCH_TEMPLATE_ARGS,
    effectiveCredentialOpts,
    generateKubeconfig,
    mockThumbprint,
    sha1hash,
    unmodeledClusterInputs,
} from "./mock-eks-spec";

export interface EksMockTarget {
    region: string;
    partition: string;
}

/** What the engine knows about a component registration: its URN, protect, providers and per-input dependencies. */
interface Registration {
    urn: string;
    protect: boolean;
    providers: Record<string, string>;
    propertyDependencies: Record<string, string[]>;
}

export interface ComponentRegistrationRequest {
    type: string;
    name: string;
    urn: string;
    parent: string;
    custom: boolean;
    protect: boolean;
    providers: Record<string, string>;
    propertyDependencies: Record<string, string[]>;
}

// The engine's view of component registrations (pkg/resource/deploy/source_eval.go): a component's providers map
// includes its parent component's, so a remote component created under ours with no `providers` of its own still
// builds its children with our aws provider.
const componentProviders = new Map<string, Record<string, string>>();
const remoteRegistrations = new Map<string, Registration>();
/** The modeled control plane of each eks:index:Cluster, by the component's URN (ManagedNodeGroup reads it). */
const modeledClusters = new Map<string, { eksCluster: aws.eks.Cluster; subnetIds: unknown[] }>();

/** Called by the recorder for every registration, before the mock answers it. */
export function noteRegistration(req: ComponentRegistrationRequest): void {
    if (req.custom) return;
    const providers = { ...(componentProviders.get(req.parent) ?? {}), ...req.providers };
    componentProviders.set(req.urn, providers);
    if (isModeledRemoteType(req.type)) {
        remoteRegistrations.set(`${req.type}::${req.name}`, {
            urn: req.urn,
            protect: req.protect,
            providers,
            propertyDependencies: req.propertyDependencies,
        });
    }
}

/** The remote components whose children the mock models: @pulumi/eks's, and kubernetes yaml/v2 ConfigFiles. */
export const isModeledRemoteType = (type: string): boolean => type.startsWith("eks:index:") || type === "kubernetes:yaml/v2:ConfigFile";

/** The parent, protect and (by package) provider a modeled remote component's children get. */
export function modeledChildOptions(type: string, name: string, pkg: "aws" | "kubernetes"): pulumi.CustomResourceOptions {
    const reg = registrationOf(type, name);
    const provider = reg.providers[pkg];
    return {
        parent: new pulumi.DependencyResource(reg.urn),
        protect: reg.protect,
        ...(provider ? { provider: new pulumi.DependencyProviderResource(provider) } : {}),
    };
}

function fail(message: string): never {
    const text = `mock runtime: ${message}: not modeled (plan/mock-eks.ts models @pulumi/eks v4.3.0 as this project uses it)`;
    // An error thrown in a mock reaches the program with an empty message, so say it first.
    console.error(text);
    throw new Error(text);
}

function registrationOf(type: string, name: string): Registration {
    const reg = remoteRegistrations.get(`${type}::${name}`);
    if (!reg) fail(`${type} ${name} answered before it was recorded`);
    return reg;
}

/** `value` as an input that depends on `urns`, as the provider's deserialized inputs do (provider/server.ts). */
function withDeps<T>(value: T, urns: readonly string[] | undefined): pulumi.Input<T> {
    if (!urns || urns.length === 0) return value;
    return pulumi.all(urns.map((u) => new pulumi.DependencyResource(u).urn)).apply(() => value);
}

/** Options every direct child gets: the component as parent (protect inherited), the inherited aws provider. */
function childOptions(reg: Registration): pulumi.CustomResourceOptions {
    const aws = reg.providers.aws;
    return {
        parent: new pulumi.DependencyResource(reg.urn),
        protect: reg.protect,
        ...(aws ? { provider: new pulumi.DependencyProviderResource(aws) } : {}),
    };
}

const asRecord = (v: unknown): Record<string, unknown> =>
    v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** servicerole.ts: an IAM role for a service with managed policies attached, itself a component. */
class ServiceRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly attachments: aws.iam.RolePolicyAttachment[];

    constructor(
        name: string,
        args: { service: string; description: string; managedPolicyArns: { id: string; arn: string }[]; assumeRoleActions: string[] },
        opts: pulumi.ComponentResourceOptions,
    ) {
        super("eks:index:ServiceRole", name, args, opts);
        const assumeRolePolicy = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Action: args.assumeRoleActions, Effect: "Allow", Principal: { Service: [args.service] } }],
        });
        this.role = new aws.iam.Role(`${name}-role`, { description: args.description, assumeRolePolicy }, { parent: this });
        this.attachments = args.managedPolicyArns.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-${sha1hash(policy.id)}`,
                    { policyArn: policy.arn, role: this.role },
                    { parent: this },
                ),
        );
        this.registerOutputs({ directRole: this.role });
    }
}

/** The children of eks:index:Cluster and the outputs the SDK reads (cmd/provider/cluster.ts construct state). */
export function eksClusterState(name: string, inputs: Record<string, unknown>, target: EksMockTarget): Record<string, unknown> {
    const unsupported = unmodeledClusterInputs(inputs);
    if (unsupported.length > 0) fail(`eks:index:Cluster ${name} with ${unsupported.join(", ")}`);
    const reg = registrationOf("eks:index:Cluster", name);
    const deps = (key: string) => reg.propertyDependencies[key];
    const opts = childOptions(reg);
    const credentialOpts = effectiveCredentialOpts(inputs);

    const serviceRole = new ServiceRole(
        `${name}-eksRole`,
        {
            service: "eks.amazonaws.com",
            description: "Allows EKS to manage clusters on your behalf.",
            managedPolicyArns: [
                {
                    id: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
                    arn: `arn:${target.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
                },
            ],
            assumeRoleActions: ["sts:AssumeRole", "sts:TagSession"],
        },
        opts,
    );

    const publicIds = asList(inputs.publicSubnetIds);
    const privateIds = asList(inputs.privateSubnetIds);
    const subnetIds = inputs.subnetIds !== undefined ? asList(inputs.subnetIds) : [...publicIds, ...privateIds];
    const subnetDeps =
        inputs.subnetIds !== undefined ? deps("subnetIds") : [...(deps("publicSubnetIds") ?? []), ...(deps("privateSubnetIds") ?? [])];
    if (inputs.publicAccessCidrs && inputs.endpointPublicAccess === false)
        fail("`publicAccessCidrs` can only be set when `endpointPublicAccess` is true (the real component throws this)");
    const range = inputs.kubernetesServiceIpAddressRange as string | undefined;
    const ipFamily = (inputs.ipFamily as string | undefined) ?? "ipv4";
    const keyArn = inputs.encryptionConfigKeyArn as string | undefined;

    const eksCluster = new aws.eks.Cluster(
        `${name}-eksCluster`,
        {
            name: inputs.name as string | undefined,
            roleArn: serviceRole.role.arn,
            bootstrapSelfManagedAddons: (inputs.bootstrapSelfManagedAddons as boolean | undefined) ?? true,
            vpcConfig: {
                subnetIds: withDeps(subnetIds as string[], subnetDeps),
                endpointPrivateAccess: inputs.endpointPrivateAccess as boolean | undefined,
                endpointPublicAccess: inputs.endpointPublicAccess as boolean | undefined,
                publicAccessCidrs: inputs.publicAccessCidrs as string[] | undefined,
            },
            kubernetesNetworkConfig:
                range || inputs.ipFamily ? { serviceIpv4Cidr: ipFamily === "ipv4" ? range : undefined, ipFamily } : undefined,
            version: inputs.version as string | undefined,
            enabledClusterLogTypes: inputs.enabledClusterLogTypes as string[] | undefined,
            tags: {
                Name: `${name}-eksCluster`,
                ...(asRecord(inputs.clusterTags) as Record<string, string>),
                ...(asRecord(inputs.tags) as Record<string, string>),
            },
            encryptionConfig: keyArn
                ? withDeps({ provider: { keyArn }, resources: ["secrets"] }, deps("encryptionConfigKeyArn"))
                : undefined,
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
            upgradePolicy: inputs.upgradePolicy as aws.types.input.eks.ClusterUpgradePolicy | undefined,
            deletionProtection: inputs.deletionProtection as boolean | undefined,
        },
        {
            ...opts,
            ignoreChanges: ["accessConfig.bootstrapClusterCreatorAdminPermissions", "bootstrapSelfManagedAddons"],
            dependsOn: [serviceRole.role, ...serviceRole.attachments],
        },
    );

    const region = eksCluster.arn.apply((a) => a.split(":")[3] ?? target.region);
    const kubeconfigOf = (includeProfile: boolean) =>
        pulumi
            .all([eksCluster.name, eksCluster.endpoint, eksCluster.certificateAuthority, region])
            .apply(([clusterName, endpoint, ca, r]) =>
                generateKubeconfig(clusterName, endpoint, r, ca.data ?? "", includeProfile, credentialOpts as { profileName?: string }),
            );
    const k8sProvider = new kubernetes.Provider(
        `${name}-eks-k8s`,
        {
            kubeconfig: kubeconfigOf(true).apply((k) => JSON.stringify(k)),
            enableConfigMapMutable: inputs.enableConfigMapMutable as boolean | undefined,
        },
        { parent: opts.parent, protect: reg.protect },
    );

    const entries = Object.entries(asRecord(inputs.accessEntries)).map(([key, raw]) => {
        const entry = asRecord(raw);
        const accessEntry = new aws.eks.AccessEntry(
            `${name}-${key}`,
            {
                ...(entry as unknown as aws.eks.AccessEntryArgs),
                clusterName: eksCluster.name,
                userName: entry.username as string | undefined,
            },
            { ...opts, dependsOn: [eksCluster] },
        );
        for (const [associationName, association] of Object.entries(asRecord(entry.accessPolicies))) {
            const a = asRecord(association);
            new aws.eks.AccessPolicyAssociation(
                `${name}-${key}-${associationName}`,
                {
                    accessScope: a.accessScope as aws.types.input.eks.AccessPolicyAssociationAccessScope,
                    principalArn: entry.principalArn as string,
                    policyArn: a.policyArn as string,
                    clusterName: eksCluster.name,
                },
                { ...opts, parent: accessEntry, dependsOn: [accessEntry] },
            );
        }
        return entry;
    });

    const oidcProvider =
        inputs.createOidcProvider === true
            ? new aws.iam.OpenIdConnectProvider(
                  `${name}-oidcProvider`,
                  {
                      clientIdLists: ["sts.amazonaws.com"],
                      url: eksCluster.identities.apply((ids) => ids[0]?.oidcs[0]?.issuer ?? ""),
                      thumbprintLists: [mockThumbprint(target.region)],
                  },
                  opts,
              )
            : undefined;

    modeledClusters.set(reg.urn, { eksCluster, subnetIds });
    const issuer = eksCluster.identities.apply((ids) => ids[0]?.oidcs[0]?.issuer ?? "");
    const kubeconfig = kubeconfigOf(false);
    const securityGroupId = eksCluster.vpcConfig.clusterSecurityGroupId;
    return {
        kubeconfig,
        kubeconfigJson: kubeconfig.apply((k) => JSON.stringify(k)),
        eksCluster,
        clusterSecurityGroup: undefined,
        nodeSecurityGroup: undefined,
        eksClusterIngressRule: undefined,
        defaultNodeGroup: undefined,
        instanceRoles: [],
        // skipDefaultSecurityGroups: both ids are the EKS-created cluster security group, and there is no ingress rule.
        clusterSecurityGroupId: securityGroupId,
        nodeSecurityGroupId: securityGroupId,
        clusterIngressRuleId: "",
        defaultNodeGroupAsgName: "",
        fargateProfileId: "",
        fargateProfileStatus: "",
        oidcProviderArn: oidcProvider ? oidcProvider.arn : "",
        oidcProviderUrl: issuer,
        oidcIssuer: issuer.apply((u) => u.replace("https://", "")),
        autoModeNodeRoleName: "",
        core: {
            cluster: eksCluster,
            vpcId: inputs.vpcId,
            subnetIds,
            publicSubnetIds: inputs.publicSubnetIds,
            privateSubnetIds: inputs.privateSubnetIds,
            endpoint: eksCluster.endpoint,
            provider: k8sProvider,
            instanceRoles: [],
            nodeGroupOptions: {},
            kubeconfig,
            oidcProvider,
            clusterIamRole: serviceRole.role,
            accessEntries: entries,
            autoModeNodeRoleName: "",
        },
    };
}

async function urnOf(cluster: unknown): Promise<string> {
    const urn = asRecord(cluster).urn;
    if (pulumi.Output.isInstance(urn)) return (await (urn as unknown as { promise(): Promise<string> }).promise()) ?? "";
    return typeof urn === "string" ? urn : "";
}

/** The one aws:eks/nodeGroup:NodeGroup of eks:index:ManagedNodeGroup (createManagedNodeGroup), and its outputs. */
export async function managedNodeGroupState(name: string, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reg = registrationOf("eks:index:ManagedNodeGroup", name);
    const clusterUrn = await urnOf(inputs.cluster);
    const cluster =
        modeledClusters.get(clusterUrn) ?? fail(`eks:index:ManagedNodeGroup ${name} of a cluster that is not an eks:index:Cluster`);
    const custom = CUSTOM_LAUNCH_TEMPLATE_ARGS.filter((k) => inputs[k] !== undefined);
    if (inputs.launchTemplate === undefined && custom.length > 0)
        fail(`eks:index:ManagedNodeGroup ${name} building its own launch template (${custom.join(", ")})`);
    if (inputs.launchTemplate !== undefined && custom.length > 0)
        fail(
            `eks:index:ManagedNodeGroup ${name}: a custom launch template excludes ${custom.join(", ")} (the real component rejects this)`,
        );
    if (!inputs.nodeRoleArn) fail(`eks:index:ManagedNodeGroup ${name} without nodeRoleArn`);

    const args: Record<string, pulumi.Input<unknown>> = {};
    for (const [key, value] of Object.entries(inputs)) if (key !== "cluster") args[key] = withDeps(value, reg.propertyDependencies[key]);
    // Without a launch template the component copies the cluster's version; with one it leaves `version` as given.
    if (!inputs.version && inputs.launchTemplate === undefined) args.version = cluster.eksCluster.version;
    const scaling = asRecord(inputs.scalingConfig);
    const nodeGroup = new aws.eks.NodeGroup(
        name,
        {
            ...(args as unknown as aws.eks.NodeGroupArgs),
            amiType: inputs.amiType as string | undefined,
            // From the rehydrated cluster component's `core`: its outputs depend on the component itself.
            clusterName:
                (inputs.clusterName as string | undefined) ?? (withDeps(cluster.eksCluster.name, [clusterUrn]) as pulumi.Output<string>),
            nodeRoleArn: args.nodeRoleArn as pulumi.Input<string>,
            scalingConfig: withDeps(
                {
                    desiredSize: (scaling.desiredSize as number) ?? 2,
                    minSize: (scaling.minSize as number) ?? 1,
                    maxSize: (scaling.maxSize as number) ?? 2,
                },
                reg.propertyDependencies.scalingConfig,
            ),
            // Without subnetIds: the cluster's subnets (core.subnetIds, public then private), not only the private ones.
            subnetIds: (args.subnetIds as pulumi.Input<string[]> | undefined) ?? (cluster.subnetIds as string[]),
            launchTemplate: args.launchTemplate as pulumi.Input<aws.types.input.eks.NodeGroupLaunchTemplate> | undefined,
        },
        {
            ...childOptions(reg),
            ...(inputs.ignoreScalingChanges ? { ignoreChanges: ["scalingConfig.desiredSize"] } : {}),
        },
    );
    return { nodeGroup, placementGroupName: "" };
}
