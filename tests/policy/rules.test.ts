// Every policy of the pack, on hand-made resources: at least one resource set it must reject and one it must
// accept. The cases run through the offline runner, the same path `npm run policy` takes.
import { describe, expect, it } from "vitest";
import { runPolicyPack } from "../../policy/offline";
import { policyFactories } from "../../policy/policies";
import type { PolicyPackConfig } from "@pulumi/policy";
import type { PolicyFactory } from "../../policy/rules/lib";
import { type PlannedResource } from "../../plan";
import {
    awsEksCluster,
    awsProvider,
    dependsOn,
    deployment,
    eksCluster,
    json,
    launchTemplate,
    nodeClass,
    nodePool,
    plan,
    podIdentityTrust,
    policyDoc,
    REQUIRED_TAGS,
    res,
    subnet,
    withProvider,
} from "./fixtures";
import { TEAMS_CASES } from "./teams.cases";

interface Case {
    /** What the case shows. */
    title: string;
    resources: PlannedResource[];
    /** Policy config (per-policy settings) as policy/config/<env>.json gives it. */
    config?: Record<string, unknown>;
    /** A fragment every violation's message should contain (failing cases). */
    message?: RegExp;
}
interface PolicyCases {
    bad: Case[];
    good: Case[];
}

const byName = new Map<string, PolicyFactory>(policyFactories.map((f) => [f("advisory").name, f]));

async function violationsOf(policyName: string, c: Case) {
    const factory = byName.get(policyName);
    if (!factory) throw new Error(`no policy ${policyName}`);
    const config: PolicyPackConfig | undefined = c.config ? { [policyName]: { enforcementLevel: "mandatory", ...c.config } } : undefined;
    return runPolicyPack(plan(c.resources), { policies: [factory("mandatory")], config });
}

const sg = (name: string, tags: Record<string, string> = {}) =>
    res("aws:ec2/securityGroup:SecurityGroup", { vpcId: "vpc-1", tags }, { name });
const lbSg = sg("lb", { "elbv2.k8s.aws/cluster": "eks-platform-test" });
const nodeSg = sg("nodes");
const vpc = res("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }, { name: "vpc" });
const privateA = subnet("private-a", false);
const publicA = subnet("public-a", true);
const bucket = res("aws:s3/bucket:Bucket", { bucket: "logs" }, { name: "logs" });
const allBlocked = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
const irsaTrust = (condition: Record<string, unknown>) =>
    json({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: condition,
            },
        ],
    });
const OIDC = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
/** An untagged subnet that hands out no public IPs but routes to an internet gateway, and `group`. */
const routedSubnet = (name: string, group: PlannedResource): PlannedResource[] => [
    res("aws:ec2/subnet:Subnet", { cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: false, tags: {} }, { name, id: `subnet-${name}` }),
    res("aws:ec2/internetGateway:InternetGateway", { vpcId: "vpc-1" }, { id: "igw-1" }),
    res("aws:ec2/routeTable:RouteTable", { vpcId: "vpc-1" }, { id: "rtb-1" }),
    res("aws:ec2/route:Route", { routeTableId: "rtb-1", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }),
    res("aws:ec2/routeTableAssociation:RouteTableAssociation", { subnetId: `subnet-${name}`, routeTableId: "rtb-1" }),
    group,
];

export const CASES: Record<string, PolicyCases> = {
    ...TEAMS_CASES,
    "eks-endpoint-not-public": {
        bad: [
            {
                title: "component endpoint public where only private is allowed",
                resources: [eksCluster({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] })],
                message: /only a private endpoint/,
            },
            {
                title: "component public endpoint open to 0.0.0.0/0",
                resources: [eksCluster({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] })],
                config: { allowPublicAccess: true },
                message: /0\.0\.0\.0\/0/,
            },
            {
                title: "component public endpoint with no CIDRs",
                resources: [eksCluster({ endpointPublicAccess: true, publicAccessCidrs: [] })],
                config: { allowPublicAccess: true },
                message: /no publicAccessCidrs/,
            },
            {
                title: "component flag left to the default",
                resources: [eksCluster({ endpointPublicAccess: undefined })],
                message: /public by default/,
            },
            {
                title: "control plane public (real preview)",
                resources: [awsEksCluster({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] })],
                config: { allowPublicAccess: true },
            },
        ],
        good: [
            { title: "private only", resources: [eksCluster(), awsEksCluster()] },
            {
                title: "public limited to the office where allowed",
                resources: [eksCluster({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] })],
                config: { allowPublicAccess: true },
            },
            {
                title: "CIDRs unknown during preview",
                resources: [eksCluster({ endpointPublicAccess: true, publicAccessCidrs: "[unknown]" })],
                config: { allowPublicAccess: true },
            },
            { title: "component registered without inputs (real preview)", resources: [res("eks:index:Cluster", {})] },
        ],
    },
    "eks-endpoint-private-access": {
        bad: [
            { title: "component private endpoint off", resources: [eksCluster({ endpointPrivateAccess: false })] },
            {
                title: "control plane private endpoint unset",
                resources: [awsEksCluster({ endpointPrivateAccess: undefined })],
                message: /not set/,
            },
        ],
        good: [{ title: "both on", resources: [eksCluster(), awsEksCluster()] }],
    },
    "eks-secrets-encryption-kms": {
        bad: [
            { title: "component without a key", resources: [eksCluster({ encryptionConfigKeyArn: undefined })] },
            { title: "control plane encrypting nothing", resources: [awsEksCluster({}, { encryptionConfig: undefined })] },
        ],
        good: [
            { title: "key set", resources: [eksCluster(), awsEksCluster()] },
            {
                title: "key ARN unknown during preview",
                resources: [eksCluster({ encryptionConfigKeyArn: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" })],
            },
        ],
    },
    "kms-key-rotation": {
        bad: [{ title: "rotation off", resources: [res("aws:kms/key:Key", { description: "secrets", enableKeyRotation: false })] }],
        good: [
            { title: "rotation on", resources: [res("aws:kms/key:Key", { enableKeyRotation: true, rotationPeriodInDays: 365 })] },
            {
                title: "asymmetric signing key cannot rotate",
                resources: [res("aws:kms/key:Key", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" })],
            },
        ],
    },
    "eks-control-plane-audit-logging": {
        bad: [
            { title: "no audit log", resources: [eksCluster({ enabledClusterLogTypes: ["api", "authenticator"] })], message: /audit/ },
            { title: "no logs on the control plane", resources: [awsEksCluster({}, { enabledClusterLogTypes: [] })] },
        ],
        good: [
            { title: "api, audit, authenticator", resources: [eksCluster(), awsEksCluster()] },
            {
                title: "only audit required by config",
                resources: [eksCluster({ enabledClusterLogTypes: ["audit"] })],
                config: { requiredLogTypes: ["audit"] },
            },
        ],
    },
    "eks-access-entries-only": {
        bad: [
            { title: "config map mode", resources: [eksCluster({ authenticationMode: "API_AND_CONFIG_MAP" })] },
            {
                title: "aws-auth role mappings",
                resources: [
                    eksCluster({ roleMappings: [{ roleArn: "arn:aws:iam::1:role/x", username: "x", groups: ["system:masters"] }] }),
                ],
                message: /roleMappings/,
            },
            { title: "control plane default mode", resources: [awsEksCluster({}, { accessConfig: undefined })] },
        ],
        good: [{ title: "API mode", resources: [eksCluster(), awsEksCluster()] }],
    },
    "no-aws-auth-configmap": {
        bad: [
            {
                title: "aws-auth managed",
                resources: [
                    res("kubernetes:core/v1:ConfigMap", {
                        metadata: { name: "aws-auth", namespace: "kube-system" },
                        data: { mapRoles: "[]" },
                    }),
                ],
            },
        ],
        good: [
            {
                title: "another ConfigMap",
                resources: [res("kubernetes:core/v1:ConfigMap", { metadata: { name: "aws-auth", namespace: "apps" }, data: {} })],
            },
        ],
    },
    "eks-kubernetes-version-allowed": {
        bad: [
            { title: "unsupported version", resources: [eksCluster({ version: "1.27" })], message: /1\.27/ },
            { title: "version left to EKS", resources: [eksCluster({ version: undefined })], message: /not set/ },
            {
                title: "past standard support on the table's date, policy STANDARD",
                resources: [eksCluster({ version: "1.34" })],
                message: /left EKS standard support on 2026-12-02/,
            },
            {
                title: "not on the narrowed list",
                resources: [eksCluster({ version: "1.35" })],
                config: { allowedVersions: ["1.36"] },
                message: /allowed list/,
            },
        ],
        good: [
            { title: "1.35", resources: [eksCluster(), awsEksCluster()] },
            {
                title: "1.34 with the EXTENDED upgrade policy",
                resources: [eksCluster({ version: "1.34", upgradePolicy: { supportType: "EXTENDED" } })],
            },
            { title: "list from config", resources: [eksCluster({ version: "1.36" })], config: { allowedVersions: ["1.36"] } },
        ],
    },
    "eks-no-default-node-group": {
        bad: [{ title: "default node group kept", resources: [eksCluster({ skipDefaultNodeGroup: false })] }],
        good: [{ title: "skipped", resources: [eksCluster()] }],
    },
    "eks-addon-version-pinned": {
        bad: [
            { title: "no version", resources: [res("aws:eks/addon:Addon", { addonName: "vpc-cni", clusterName: "c" })] },
            { title: "not an exact build", resources: [res("aws:eks/addon:Addon", { addonName: "vpc-cni", addonVersion: "latest" })] },
        ],
        good: [
            {
                title: "exact version",
                resources: [res("aws:eks/addon:Addon", { addonName: "vpc-cni", addonVersion: "v1.20.4-eksbuild.1" })],
            },
        ],
    },
    "nodes-in-private-subnets": {
        bad: [
            {
                title: "managed node group with a public subnet among its subnetIds",
                resources: [privateA, publicA, res("eks:index:ManagedNodeGroup", { subnetIds: ["subnet-private-a", "subnet-public-a"] })],
                message: /public-a/,
            },
            {
                title: "node group in an untagged subnet routed to an internet gateway",
                resources: routedSubnet("routed", res("aws:eks/nodeGroup:NodeGroup", { subnetIds: ["subnet-routed"] })),
                message: /public subnet routed/,
            },
            {
                title: "EC2NodeClass selecting public subnets",
                resources: [publicA, nodeClass({ subnetSelectorTerms: [{ tags: { "kubernetes.io/role/elb": "1" } }] })],
                message: /selects public subnet/,
            },
        ],
        good: [
            {
                title: "private subnets only",
                resources: [privateA, publicA, res("eks:index:ManagedNodeGroup", { subnetIds: ["subnet-private-a"] }), nodeClass()],
            },
            {
                // The real NodeGroup depends on the public subnets through clusterName (the cluster's inputs).
                title: "depends on a public subnet through another input, launches into a private one",
                resources: [
                    privateA,
                    publicA,
                    dependsOn(res("aws:eks/nodeGroup:NodeGroup", { subnetIds: ["subnet-private-a"] }), publicA, privateA),
                ],
            },
            {
                title: "subnet ids unknown during preview",
                resources: [publicA, dependsOn(res("aws:eks/nodeGroup:NodeGroup", { subnetIds: "[unknown]" }), publicA)],
            },
            {
                title: "subnets outside the stack",
                resources: [publicA, res("aws:eks/nodeGroup:NodeGroup", { subnetIds: ["subnet-0abc"] })],
            },
        ],
    },
    "nodes-imdsv2-required": {
        bad: [
            {
                title: "launch template with optional tokens",
                resources: [launchTemplate({ metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } })],
            },
            { title: "launch template without metadata options", resources: [launchTemplate({ metadataOptions: undefined })] },
            { title: "EC2NodeClass with optional tokens", resources: [nodeClass({ metadataOptions: { httpTokens: "optional" } })] },
        ],
        good: [
            { title: "required everywhere", resources: [launchTemplate(), nodeClass()] },
            { title: "EC2NodeClass relying on Karpenter's default", resources: [nodeClass({ metadataOptions: undefined })] },
        ],
    },
    "nodes-imds-hop-limit-1": {
        bad: [
            {
                title: "launch template hop limit 2",
                resources: [launchTemplate({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } })],
                message: /is 2/,
            },
            {
                title: "EC2NodeClass hop limit 2",
                resources: [nodeClass({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } })],
            },
        ],
        good: [
            { title: "hop limit 1", resources: [launchTemplate(), nodeClass()] },
            {
                title: "hop limit unknown during preview",
                resources: [
                    launchTemplate({
                        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: "3eeb2bf0-c639-47a8-9e75-3b44932eb421" },
                    }),
                ],
            },
        ],
    },
    "nodes-ebs-encrypted": {
        bad: [
            {
                title: "unencrypted launch template volume",
                resources: [
                    launchTemplate({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 50 } }] }),
                ],
                message: /not encrypted/,
            },
            { title: "launch template without a root volume", resources: [launchTemplate({ blockDeviceMappings: undefined })] },
            {
                title: "EC2NodeClass volume without encrypted",
                resources: [nodeClass({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "50Gi" } }] })],
            },
        ],
        good: [{ title: "encrypted", resources: [launchTemplate(), nodeClass()] }],
    },
    "nodes-no-public-ip": {
        bad: [
            {
                title: "launch template with a public IP",
                resources: [launchTemplate({ networkInterfaces: [{ associatePublicIpAddress: "true" }] })],
            },
            { title: "default node group with public IPs", resources: [eksCluster({ skipDefaultNodeGroup: false })] },
        ],
        good: [
            {
                title: "no public IPs",
                resources: [launchTemplate({ networkInterfaces: [{ associatePublicIpAddress: "false" }] }), eksCluster()],
            },
        ],
    },
    "nodes-no-ssh-access": {
        bad: [
            { title: "node group remote access", resources: [res("eks:index:ManagedNodeGroup", { remoteAccess: { ec2SshKey: "ops" } })] },
            { title: "launch template key pair", resources: [launchTemplate({ keyName: "ops" })] },
        ],
        good: [{ title: "no SSH", resources: [res("eks:index:ManagedNodeGroup", { subnetIds: [] }), launchTemplate()] }],
    },
    "security-group-no-public-ingress": {
        bad: [
            {
                title: "SSH open to the world",
                resources: [
                    nodeSg,
                    dependsOn(
                        res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {
                            securityGroupId: "sg-1",
                            cidrIpv4: "0.0.0.0/0",
                            fromPort: 22,
                            toPort: 22,
                            ipProtocol: "tcp",
                        }),
                        nodeSg,
                    ),
                ],
                message: /port 22/,
            },
            {
                title: "443 open on a node security group",
                resources: [
                    nodeSg,
                    dependsOn(
                        res("aws:ec2/securityGroupRule:SecurityGroupRule", {
                            type: "ingress",
                            securityGroupId: "sg-1",
                            cidrBlocks: ["0.0.0.0/0"],
                            fromPort: 443,
                            toPort: 443,
                            protocol: "tcp",
                        }),
                        nodeSg,
                    ),
                ],
                message: /not a load balancer/,
            },
            {
                title: "inline ::/0 on all ports",
                resources: [
                    res("aws:ec2/securityGroup:SecurityGroup", {
                        ingress: [{ fromPort: 0, toPort: 65535, protocol: "-1", ipv6CidrBlocks: ["::/0"] }],
                    }),
                ],
            },
        ],
        good: [
            {
                title: "443 on a load balancer's group",
                resources: [
                    lbSg,
                    dependsOn(
                        res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {
                            securityGroupId: "sg-2",
                            cidrIpv4: "0.0.0.0/0",
                            fromPort: 443,
                            toPort: 443,
                            ipProtocol: "tcp",
                        }),
                        lbSg,
                    ),
                ],
            },
            {
                title: "VPC-internal ingress",
                resources: [
                    nodeSg,
                    dependsOn(
                        res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {
                            securityGroupId: "sg-1",
                            cidrIpv4: "10.0.0.0/16",
                            fromPort: 443,
                            toPort: 443,
                            ipProtocol: "tcp",
                        }),
                        nodeSg,
                    ),
                ],
            },
            {
                title: "CIDR unknown during preview",
                resources: [
                    nodeSg,
                    dependsOn(
                        res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {
                            securityGroupId: "sg-1",
                            cidrIpv4: "[unknown]",
                            fromPort: 22,
                            toPort: 22,
                            ipProtocol: "tcp",
                        }),
                        nodeSg,
                    ),
                ],
            },
        ],
    },
    "vpc-flow-logs-enabled": {
        bad: [
            { title: "VPC without flow log", resources: [vpc], message: /no flow log/ },
            {
                title: "rejected traffic only",
                resources: [vpc, dependsOn(res("aws:ec2/flowLog:FlowLog", { vpcId: "vpc-1", trafficType: "REJECT" }), vpc)],
                message: /ALL/,
            },
        ],
        good: [
            {
                title: "ALL traffic logged",
                resources: [vpc, dependsOn(res("aws:ec2/flowLog:FlowLog", { vpcId: "vpc-1", trafficType: "ALL" }), vpc)],
            },
        ],
    },
    "subnet-no-public-ip-on-launch": {
        bad: [{ title: "public IPs on launch", resources: [publicA] }],
        good: [
            {
                title: "no public IPs",
                resources: [
                    privateA,
                    res("aws:ec2/subnet:Subnet", { mapPublicIpOnLaunch: false, tags: { "kubernetes.io/role/elb": "1" } }),
                ],
            },
        ],
    },
    "iam-no-wildcard-on-all-resources": {
        bad: [
            {
                title: "*:* administrator",
                resources: [res("aws:iam/policy:Policy", { policy: policyDoc({ Effect: "Allow", Action: "*", Resource: "*" }) })],
                message: /wildcard action \*/,
            },
            {
                title: "service wildcard on all resources",
                resources: [
                    res("aws:iam/rolePolicy:RolePolicy", {
                        policy: policyDoc({ Effect: "Allow", Action: ["ec2:Describe*"], Resource: "*" }),
                    }),
                ],
                message: /ec2:Describe\*/,
            },
            {
                title: "unscoped write not in the allow-list",
                resources: [
                    res("aws:iam/policy:Policy", { policy: policyDoc({ Effect: "Allow", Action: ["s3:PutObject"], Resource: "*" }) }),
                ],
                message: /not a published controller statement/,
            },
            {
                title: "Karpenter statement with an extra action",
                resources: [
                    res("aws:iam/policy:Policy", {
                        policy: policyDoc({
                            Sid: "AllowPricingReadActions",
                            Effect: "Allow",
                            Action: ["pricing:GetProducts", "ec2:TerminateInstances"],
                            Resource: "*",
                        }),
                    }),
                ],
            },
            {
                title: "Karpenter statement losing its region condition",
                resources: [
                    res("aws:iam/policy:Policy", {
                        policy: policyDoc({
                            Sid: "AllowZonalShiftStatusReadOnly",
                            Effect: "Allow",
                            Action: "arc-zonal-shift:GetManagedResource",
                            Resource: "*",
                        }),
                    }),
                ],
            },
            {
                title: "NotAction",
                resources: [res("aws:iam/policy:Policy", { policy: policyDoc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) })],
                message: /NotAction/,
            },
            {
                title: "AdministratorAccess attached",
                resources: [
                    res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {
                        role: "r",
                        policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
                    }),
                ],
            },
            {
                title: "role inline policy",
                resources: [
                    res("aws:iam/role:Role", {
                        assumeRolePolicy: "{}",
                        inlinePolicies: [{ name: "x", policy: policyDoc({ Effect: "Allow", Action: "s3:*", Resource: "*" }) }],
                    }),
                ],
            },
        ],
        good: [
            {
                title: "Karpenter's published unscoped statements",
                resources: [
                    res("aws:iam/policy:Policy", {
                        policy: policyDoc(
                            { Sid: "AllowPricingReadActions", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
                            {
                                Sid: "AllowUnscopedInstanceProfileListAction",
                                Effect: "Allow",
                                Action: "iam:ListInstanceProfiles",
                                Resource: "*",
                            },
                            {
                                Sid: "AllowZonalShiftStatusReadOnly",
                                Effect: "Allow",
                                Action: ["arc-zonal-shift:GetManagedResource"],
                                Resource: "*",
                                Condition: {
                                    StringEquals: { "arc-zonal-shift:ResourceIdentifier": "arn:aws:eks:eu-west-1:123456789012:cluster/c" },
                                },
                            },
                        ),
                    }),
                ],
            },
            {
                title: "LB controller's security-group statement",
                resources: [
                    res("aws:iam/policy:Policy", {
                        policy: policyDoc({ Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "*" }),
                    }),
                ],
            },
            {
                title: "scoped wildcard actions",
                resources: [
                    res("aws:iam/policy:Policy", {
                        policy: policyDoc({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::logs/*" }),
                    }),
                ],
            },
            {
                title: "Deny on *",
                resources: [res("aws:iam/policy:Policy", { policy: policyDoc({ Effect: "Deny", Action: "*", Resource: "*" }) })],
            },
            { title: "document unknown during preview", resources: [res("aws:iam/policy:Policy", { policy: "[unknown]" })] },
        ],
    },
    "iam-passrole-scoped": {
        bad: [
            {
                title: "PassRole on any role",
                resources: [
                    res("aws:iam/policy:Policy", {
                        policy: policyDoc({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/*" }),
                    }),
                ],
            },
        ],
        good: [
            {
                title: "PassRole on the node role",
                resources: [
                    res("aws:iam/policy:Policy", {
                        policy: policyDoc({
                            Sid: "AllowPassingInstanceRole",
                            Effect: "Allow",
                            Action: "iam:PassRole",
                            Resource: "arn:aws:iam::123456789012:role/node",
                        }),
                    }),
                ],
            },
        ],
    },
    "iam-workload-trust-scoped": {
        bad: [
            {
                title: "Pod Identity trust for any service account",
                resources: [
                    res("aws:iam/role:Role", {
                        assumeRolePolicy: podIdentityTrust({ StringEquals: { "aws:SourceAccount": "123456789012" } }),
                    }),
                ],
                message: /kubernetes-service-account/,
            },
            {
                title: "IRSA trust with a wildcard sub",
                resources: [
                    res("aws:iam/role:Role", {
                        assumeRolePolicy: irsaTrust({
                            StringLike: { [`${OIDC}:sub`]: "system:serviceaccount:*:*" },
                            StringEquals: { [`${OIDC}:aud`]: "sts.amazonaws.com" },
                        }),
                    }),
                ],
                message: /sub/,
            },
        ],
        good: [
            {
                title: "Pod Identity trust pinned to one service account",
                resources: [
                    res("aws:iam/role:Role", {
                        assumeRolePolicy: podIdentityTrust({
                            StringEquals: {
                                "aws:RequestTag/kubernetes-namespace": "karpenter",
                                "aws:RequestTag/kubernetes-service-account": "karpenter",
                            },
                        }),
                    }),
                ],
            },
            {
                title: "IRSA trust pinned",
                resources: [
                    res("aws:iam/role:Role", {
                        assumeRolePolicy: irsaTrust({
                            StringEquals: {
                                [`${OIDC}:sub`]: "system:serviceaccount:kube-system:ebs-csi",
                                [`${OIDC}:aud`]: "sts.amazonaws.com",
                            },
                        }),
                    }),
                ],
            },
            {
                title: "EC2 node role",
                resources: [
                    res("aws:iam/role:Role", {
                        assumeRolePolicy: policyDoc({
                            Effect: "Allow",
                            Principal: { Service: "ec2.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        }),
                    }),
                ],
            },
        ],
    },
    "iam-trust-no-public-principal": {
        bad: [
            {
                title: "anyone may assume",
                resources: [
                    res("aws:iam/role:Role", {
                        assumeRolePolicy: policyDoc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }),
                    }),
                ],
            },
        ],
        good: [
            {
                title: "one account",
                resources: [
                    res("aws:iam/role:Role", {
                        assumeRolePolicy: policyDoc({
                            Effect: "Allow",
                            Principal: { AWS: "arn:aws:iam::123456789012:root" },
                            Action: "sts:AssumeRole",
                        }),
                    }),
                ],
            },
        ],
    },
    "karpenter-nodepool-limits": {
        bad: [
            { title: "no limits", resources: [nodePool({ limits: undefined })], message: /cpu or memory/ },
            { title: "cpu only", resources: [nodePool({ limits: { cpu: "100" } })], message: /memory/ },
        ],
        good: [{ title: "cpu and memory", resources: [nodePool()] }],
    },
    "karpenter-nodepool-disruption-budget": {
        bad: [
            { title: "no budgets", resources: [nodePool({ disruption: { consolidationPolicy: "WhenEmpty" } })] },
            { title: "a budget allowing every node", resources: [nodePool({ disruption: { budgets: [{ nodes: "100%" }] } })] },
        ],
        good: [{ title: "10%", resources: [nodePool()] }],
    },
    "karpenter-nodepool-expiry": {
        bad: [{ title: "never expires", resources: [nodePool({}, { expireAfter: "Never" })] }],
        good: [{ title: "720h", resources: [nodePool()] }],
    },
    "karpenter-ami-pinned": {
        bad: [
            { title: "latest alias", resources: [nodeClass({ amiSelectorTerms: [{ alias: "al2023@latest" }] })], message: /not pinned/ },
            { title: "tag selector", resources: [nodeClass({ amiSelectorTerms: [{ tags: { team: "platform" } }] })], message: /by tags/ },
        ],
        good: [
            { title: "pinned alias", resources: [nodeClass()] },
            { title: "AMI id", resources: [nodeClass({ amiSelectorTerms: [{ id: "ami-0123456789abcdef0" }] })] },
        ],
    },
    "helm-release-version-pinned": {
        bad: [
            {
                title: "no version",
                resources: [
                    res("kubernetes:helm.sh/v3:Release", {
                        chart: "karpenter",
                        repositoryOpts: { repo: "oci://public.ecr.aws/karpenter" },
                    }),
                ],
            },
            { title: "a range", resources: [res("kubernetes:helm.sh/v3:Release", { chart: "loki", version: "^6.0.0" })] },
        ],
        good: [{ title: "exact version", resources: [res("kubernetes:helm.sh/v3:Release", { chart: "karpenter", version: "1.14.1" })] }],
    },
    "helm-repository-tls": {
        bad: [
            {
                title: "plain http repository",
                resources: [
                    res("kubernetes:helm.sh/v3:Release", {
                        chart: "x",
                        version: "1.0.0",
                        repositoryOpts: { repo: "http://charts.example.com" },
                    }),
                ],
            },
        ],
        good: [
            {
                title: "https and oci",
                resources: [
                    res("kubernetes:helm.sh/v3:Release", {
                        chart: "x",
                        version: "1.0.0",
                        repositoryOpts: { repo: "https://charts.example.com" },
                    }),
                    res("kubernetes:helm.sh/v3:Release", { chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.14.1" }),
                ],
            },
        ],
    },
    "helm-chart-not-retired": {
        bad: [
            {
                title: "ingress-nginx from its repository",
                resources: [
                    res("kubernetes:helm.sh/v3:Release", {
                        chart: "ingress-nginx",
                        version: "4.13.9",
                        repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
                    }),
                ],
                message: /chart ingress-nginx 4\.13\.9 was retired on 2026-03-24 .*use Gateway API/,
            },
            {
                title: "ingress-nginx as repo/chart or from an OCI mirror",
                resources: [
                    res("kubernetes:helm.sh/v3:Release", { chart: "ingress-nginx/ingress-nginx", version: "4.15.1" }),
                    res("kubernetes:helm.sh/v4:Chart", { chart: "oci://registry.example.com/mirror/ingress-nginx", version: "4.14.5" }),
                ],
                message: /was retired on 2026-03-24/,
            },
        ],
        good: [
            {
                title: "maintained charts, one with a similar name",
                resources: [
                    res("kubernetes:helm.sh/v3:Release", { chart: "aws-load-balancer-controller", version: "3.5.0" }),
                    // F5's NGINX Ingress Controller (nginx/kubernetes-ingress) is a different, maintained project.
                    res("kubernetes:helm.sh/v3:Release", { chart: "oci://ghcr.io/nginx/charts/nginx-ingress", version: "2.3.0" }),
                ],
            },
        ],
    },
    "pods-no-privileged": {
        bad: [
            {
                title: "privileged container",
                resources: [deployment({ containers: [{ name: "app", image: "x", securityContext: { privileged: true } }] })],
                message: /apps\/app/,
            },
        ],
        good: [
            {
                title: "unprivileged",
                resources: [deployment({ containers: [{ name: "app", image: "x", securityContext: { privileged: false } }] })],
            },
            {
                title: "allow-listed system daemon",
                resources: [
                    deployment(
                        { containers: [{ name: "calico-node", image: "x", securityContext: { privileged: true } }] },
                        { name: "calico-node", namespace: "calico-system" },
                    ),
                ],
            },
        ],
    },
    "pods-no-host-network": {
        bad: [
            {
                title: "hostNetwork pod",
                resources: [
                    res("kubernetes:core/v1:Pod", {
                        metadata: { name: "debug", namespace: "default" },
                        spec: { hostNetwork: true, containers: [{ name: "x", image: "x" }] },
                    }),
                ],
            },
        ],
        good: [
            {
                title: "pod network",
                resources: [
                    res("kubernetes:core/v1:Pod", { metadata: { name: "debug" }, spec: { containers: [{ name: "x", image: "x" }] } }),
                ],
            },
            {
                title: "allow-listed by config",
                resources: [deployment({ hostNetwork: true, containers: [] }, { name: "agent", namespace: "ops" })],
                config: { allowed: ["ops/agent"] },
            },
        ],
    },
    "pods-no-host-pid": {
        bad: [
            {
                title: "hostPID daemonset",
                resources: [
                    res("kubernetes:apps/v1:DaemonSet", {
                        metadata: { name: "agent", namespace: "ops" },
                        spec: { template: { spec: { hostPID: true, containers: [] } } },
                    }),
                ],
                message: /hostPID/,
            },
            {
                title: "hostIPC cronjob",
                resources: [
                    res("kubernetes:batch/v1:CronJob", {
                        metadata: { name: "job", namespace: "ops" },
                        spec: { jobTemplate: { spec: { template: { spec: { hostIPC: true, containers: [] } } } } },
                    }),
                ],
                message: /hostIPC/,
            },
        ],
        good: [
            {
                title: "own namespaces",
                resources: [
                    res("kubernetes:apps/v1:DaemonSet", {
                        metadata: { name: "agent", namespace: "ops" },
                        spec: { template: { spec: { containers: [] } } },
                    }),
                ],
            },
        ],
    },
    "required-tags": {
        bad: [
            { title: "no provider tags, no own tags", resources: [res("aws:sqs/queue:Queue", { name: "q" })], message: /Owner/ },
            (() => {
                const provider = awsProvider({ Project: "eks-platform" });
                return {
                    title: "provider without Owner/CostCenter",
                    resources: [provider, withProvider(res("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }), provider)],
                    message: /CostCenter/,
                };
            })(),
        ],
        good: [
            (() => {
                const provider = awsProvider();
                return {
                    title: "tags from the provider's defaultTags",
                    resources: [provider, withProvider(res("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }), provider)],
                };
            })(),
            { title: "tags on the resource", resources: [res("aws:kms/key:Key", { tags: REQUIRED_TAGS })] },
            { title: "untaggable type", resources: [res("aws:ec2/route:Route", {})] },
        ],
    },
    "protect-stateful-resources": {
        bad: [
            {
                title: "unprotected cluster, key and bucket",
                resources: [eksCluster(), res("aws:kms/key:Key", { enableKeyRotation: true }), bucket],
            },
        ],
        good: [
            {
                title: "protected",
                resources: [
                    { ...eksCluster(), protect: true },
                    res("aws:kms/key:Key", {}, { protect: true }),
                    { ...bucket, protect: true },
                ],
            },
        ],
    },
    "s3-bucket-public-access-blocked": {
        bad: [
            { title: "no block", resources: [bucket] },
            {
                title: "partial block",
                resources: [
                    bucket,
                    dependsOn(
                        res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {
                            bucket: "logs",
                            ...allBlocked,
                            restrictPublicBuckets: false,
                        }),
                        bucket,
                    ),
                ],
            },
        ],
        good: [
            {
                title: "all four",
                resources: [
                    bucket,
                    dependsOn(res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "logs", ...allBlocked }), bucket),
                ],
            },
        ],
    },
    "s3-bucket-encrypted": {
        bad: [{ title: "no SSE configuration", resources: [bucket] }],
        good: [
            {
                title: "KMS SSE configuration",
                resources: [
                    bucket,
                    dependsOn(
                        res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", {
                            bucket: "logs",
                            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
                        }),
                        bucket,
                    ),
                ],
            },
        ],
    },
    "sqs-queue-encrypted": {
        bad: [{ title: "unencrypted queue", resources: [res("aws:sqs/queue:Queue", { messageRetentionSeconds: 300 })] }],
        good: [
            { title: "SQS-managed SSE", resources: [res("aws:sqs/queue:Queue", { sqsManagedSseEnabled: true })] },
            { title: "KMS key", resources: [res("aws:sqs/queue:Queue", { kmsMasterKeyId: "alias/aws/sqs" })] },
        ],
    },
    "storageclass-ebs-encrypted": {
        bad: [
            {
                title: "gp3 without encryption",
                resources: [
                    res("kubernetes:storage.k8s.io/v1:StorageClass", {
                        metadata: { name: "gp3" },
                        provisioner: "ebs.csi.aws.com",
                        parameters: { type: "gp3" },
                    }),
                ],
            },
        ],
        good: [
            {
                title: "encrypted gp3",
                resources: [
                    res("kubernetes:storage.k8s.io/v1:StorageClass", {
                        metadata: { name: "gp3" },
                        provisioner: "ebs.csi.aws.com",
                        parameters: { type: "gp3", encrypted: "true" },
                    }),
                ],
            },
            {
                title: "another provisioner",
                resources: [
                    res("kubernetes:storage.k8s.io/v1:StorageClass", { metadata: { name: "efs" }, provisioner: "efs.csi.aws.com" }),
                ],
            },
        ],
    },
};

describe("policy rules", () => {
    it("every policy in the pack has failing and passing cases", () => {
        const names = [...byName.keys()].sort();
        expect(Object.keys(CASES).sort()).toEqual(names);
        for (const [name, c] of Object.entries(CASES)) {
            expect(c.bad.length, name).toBeGreaterThan(0);
            expect(c.good.length, name).toBeGreaterThan(0);
        }
    });

    for (const [name, cases] of Object.entries(CASES)) {
        describe(name, () => {
            for (const c of cases.bad) {
                it(`rejects: ${c.title}`, async () => {
                    const violations = await violationsOf(name, c);
                    expect(violations.length).toBeGreaterThan(0);
                    for (const v of violations) {
                        expect(v.policyName).toBe(name);
                        expect(v.enforcementLevel).toBe("mandatory");
                    }
                    if (c.message) expect(violations.map((v) => v.message).join("\n")).toMatch(c.message);
                });
            }
            for (const c of cases.good) {
                it(`accepts: ${c.title}`, async () => {
                    expect(await violationsOf(name, c)).toEqual([]);
                });
            }
        });
    }
});
