// Hand-made resources for the policy tests, in the shape the offline plan records (PlannedResource).
import { type PlannedResource, type PlanResult } from "../../plan";

let serial = 0;

export function res(
    type: string,
    inputs: Record<string, unknown>,
    extra: Partial<PlannedResource> & { name?: string } = {},
): PlannedResource {
    const name = extra.name ?? `r${++serial}`;
    return {
        urn: `urn:pulumi:test::eks-platform::${type}::${name}`,
        type,
        name,
        custom: !type.startsWith("eks:index:"),
        dependencies: [],
        inputs,
        protect: false,
        ...extra,
    };
}

export const plan = (resources: PlannedResource[], stack = "test"): PlanResult => ({
    project: "eks-platform",
    stack,
    resources,
    outputs: {},
});

export const dependsOn = (r: PlannedResource, ...on: PlannedResource[]): PlannedResource => ({
    ...r,
    dependencies: [...r.dependencies, ...on.map((o) => o.urn)],
});

export const json = (v: unknown) => JSON.stringify(v);

export const eksCluster = (overrides: Record<string, unknown> = {}) =>
    res("eks:index:Cluster", {
        name: "eks-platform-test",
        version: "1.35",
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
        publicAccessCidrs: [],
        encryptionConfigKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc",
        enabledClusterLogTypes: ["api", "audit", "authenticator"],
        authenticationMode: "API",
        skipDefaultNodeGroup: true,
        ...overrides,
    });

export const awsEksCluster = (vpcConfig: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) =>
    res("aws:eks/cluster:Cluster", {
        name: "eks-platform-test",
        version: "1.35",
        vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ["subnet-1"], ...vpcConfig },
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc" } },
        enabledClusterLogTypes: ["api", "audit", "authenticator"],
        accessConfig: { authenticationMode: "API" },
        ...overrides,
    });

export const launchTemplate = (overrides: Record<string, unknown> = {}) =>
    res("aws:ec2/launchTemplate:LaunchTemplate", {
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50, volumeType: "gp3" } }],
        ...overrides,
    });

export const nodeClass = (spec: Record<string, unknown> = {}) =>
    res("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: "default" },
        spec: {
            role: "node-role",
            amiSelectorTerms: [{ alias: "al2023@v20251117" }],
            subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "eks-platform-test" } }],
            securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": "eks-platform-test" } }],
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "50Gi", volumeType: "gp3", encrypted: true } }],
            ...spec,
        },
    });

export const nodePool = (spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}) =>
    res("kubernetes:karpenter.sh/v1:NodePool", {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "general" },
        spec: {
            template: {
                spec: {
                    nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
                    requirements: [],
                    expireAfter: "720h",
                    ...template,
                },
            },
            limits: { cpu: "100", memory: "400Gi" },
            disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m", budgets: [{ nodes: "10%" }] },
            ...spec,
        },
    });

export const subnet = (name: string, isPublic: boolean) =>
    res(
        "aws:ec2/subnet:Subnet",
        {
            cidrBlock: isPublic ? "10.0.0.0/24" : "10.0.16.0/20",
            mapPublicIpOnLaunch: isPublic,
            tags: isPublic
                ? { "kubernetes.io/role/elb": "1" }
                : { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": "eks-platform-test" },
        },
        { name },
    );

export const podIdentityTrust = (condition: Record<string, unknown>) =>
    json({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: condition,
            },
        ],
    });

export const policyDoc = (...statements: Record<string, unknown>[]) => json({ Version: "2012-10-17", Statement: statements });

export const deployment = (podSpec: Record<string, unknown>, metadata: Record<string, unknown> = { name: "app", namespace: "apps" }) =>
    res("kubernetes:apps/v1:Deployment", {
        metadata,
        spec: { selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "x" } }, spec: podSpec } },
    });

export const REQUIRED_TAGS = {
    Project: "eks-platform",
    Environment: "dev",
    Stack: "dev",
    ManagedBy: "pulumi",
    Owner: "platform-team",
    CostCenter: "cc",
};

export const awsProvider = (tags: Record<string, string> = REQUIRED_TAGS) =>
    res("pulumi:providers:aws", { region: "eu-west-1", defaultTags: json({ tags }) }, { name: "aws", custom: true });

/** A resource using `provider` (recorded as `<urn>::<id>` as the mock runtime does). */
export const withProvider = (r: PlannedResource, provider: PlannedResource): PlannedResource => ({
    ...r,
    provider: `${provider.urn}::${provider.name}-provider-id`,
});
