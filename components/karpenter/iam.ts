// Karpenter's IAM, written from the getting-started CloudFormation template of the pinned Karpenter version (v1.14):
// the controller's six policies with upstream's statement ids, resources and conditions, and the node role. Pure:
// tests compare these documents with upstream's and run them through an IAM simulator.
import { policyDocument, type PolicyDocument, type PolicyStatement } from "../lib/iam";

/** What upstream's `!Sub` placeholders stand for: ${AWS::Partition}, ${AWS::Region}, ${AWS::AccountId}, ... */
export interface ControllerPolicyScope {
    partition: string;
    region: string;
    accountId: string;
    clusterName: string;
    /** ${KarpenterNodeRole.Arn}: the only role the controller may pass to EC2. */
    nodeRoleArn: string;
    /** ${KarpenterInterruptionQueue.Arn}. */
    queueArn: string;
}

/** Upstream's policy names (ManagedPolicyName without the -<cluster> suffix), in template order. */
export const CONTROLLER_POLICY_NAMES = [
    "NodeLifecyclePolicy",
    "IAMIntegrationPolicy",
    "EKSIntegrationPolicy",
    "InterruptionPolicy",
    "ZonalShiftPolicy",
    "ResourceDiscoveryPolicy",
] as const;
export type ControllerPolicyName = (typeof CONTROLLER_POLICY_NAMES)[number];

/** The controller's policies, one document per upstream managed policy. */
export function controllerPolicies(scope: ControllerPolicyScope): Record<ControllerPolicyName, PolicyDocument> {
    const { partition, region, accountId, clusterName } = scope;
    const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:*:${resource}`;
    const ownedKey = `kubernetes.io/cluster/${clusterName}`;
    const instanceProfiles = `arn:${partition}:iam::${accountId}:instance-profile/*`;
    const clusterArn = `arn:${partition}:eks:${region}:${accountId}:cluster/${clusterName}`;
    // Resources Karpenter creates with RunInstances / CreateFleet / CreateLaunchTemplate, tagged at creation.
    const taggedAtCreation = [
        ec2("fleet/*"),
        ec2("instance/*"),
        ec2("volume/*"),
        ec2("network-interface/*"),
        ec2("launch-template/*"),
        ec2("spot-instances-request/*"),
    ];

    const nodeLifecycle: PolicyStatement[] = [
        {
            Sid: "AllowScopedEC2InstanceAccessActions",
            Effect: "Allow",
            Resource: [
                `arn:${partition}:ec2:${region}::image/*`,
                `arn:${partition}:ec2:${region}::snapshot/*`,
                ec2("security-group/*"),
                ec2("subnet/*"),
                ec2("capacity-reservation/*"),
                ec2("placement-group/*"),
            ],
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        },
        {
            Sid: "AllowScopedEC2LaunchTemplateAccessActions",
            Effect: "Allow",
            Resource: ec2("launch-template/*"),
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
            Condition: {
                StringEquals: { [`aws:ResourceTag/${ownedKey}`]: "owned" },
                StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
            },
        },
        {
            Sid: "AllowScopedEC2InstanceActionsWithTags",
            Effect: "Allow",
            Resource: taggedAtCreation,
            Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
            Condition: {
                StringEquals: { [`aws:RequestTag/${ownedKey}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": clusterName },
                StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
            },
        },
        {
            Sid: "AllowScopedResourceCreationTagging",
            Effect: "Allow",
            Resource: taggedAtCreation,
            Action: "ec2:CreateTags",
            Condition: {
                StringEquals: {
                    [`aws:RequestTag/${ownedKey}`]: "owned",
                    "aws:RequestTag/eks:eks-cluster-name": clusterName,
                    "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
                },
                StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
            },
        },
        {
            Sid: "AllowScopedResourceTagging",
            Effect: "Allow",
            Resource: ec2("instance/*"),
            Action: "ec2:CreateTags",
            Condition: {
                StringEquals: { [`aws:ResourceTag/${ownedKey}`]: "owned" },
                StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": clusterName },
                "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
            },
        },
        {
            Sid: "AllowScopedDeletion",
            Effect: "Allow",
            Resource: [ec2("instance/*"), ec2("launch-template/*")],
            Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
            Condition: {
                StringEquals: { [`aws:ResourceTag/${ownedKey}`]: "owned" },
                StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
            },
        },
    ];

    const iamIntegration: PolicyStatement[] = [
        {
            Sid: "AllowPassingInstanceRole",
            Effect: "Allow",
            Resource: scope.nodeRoleArn,
            Action: "iam:PassRole",
            Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
        },
        {
            Sid: "AllowScopedInstanceProfileCreationActions",
            Effect: "Allow",
            Resource: instanceProfiles,
            Action: ["iam:CreateInstanceProfile"],
            Condition: {
                StringEquals: {
                    [`aws:RequestTag/${ownedKey}`]: "owned",
                    "aws:RequestTag/eks:eks-cluster-name": clusterName,
                    "aws:RequestTag/topology.kubernetes.io/region": region,
                },
                StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
            },
        },
        {
            Sid: "AllowScopedInstanceProfileTagActions",
            Effect: "Allow",
            Resource: instanceProfiles,
            Action: ["iam:TagInstanceProfile"],
            Condition: {
                StringEquals: {
                    [`aws:ResourceTag/${ownedKey}`]: "owned",
                    "aws:ResourceTag/topology.kubernetes.io/region": region,
                    [`aws:RequestTag/${ownedKey}`]: "owned",
                    "aws:RequestTag/eks:eks-cluster-name": clusterName,
                    "aws:RequestTag/topology.kubernetes.io/region": region,
                },
                StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
            },
        },
        {
            Sid: "AllowScopedInstanceProfileActions",
            Effect: "Allow",
            Resource: instanceProfiles,
            Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
            Condition: {
                StringEquals: { [`aws:ResourceTag/${ownedKey}`]: "owned", "aws:ResourceTag/topology.kubernetes.io/region": region },
                StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
            },
        },
    ];

    const eksIntegration: PolicyStatement[] = [
        { Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: clusterArn, Action: "eks:DescribeCluster" },
    ];

    const interruption: PolicyStatement[] = [
        {
            Sid: "AllowInterruptionQueueActions",
            Effect: "Allow",
            Resource: scope.queueArn,
            Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
        },
    ];

    const zonalShift: PolicyStatement[] = [
        {
            Sid: "AllowZonalShiftStatusReadOnly",
            Effect: "Allow",
            Resource: "*",
            Action: ["arc-zonal-shift:GetManagedResource"],
            Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
        },
    ];

    const resourceDiscovery: PolicyStatement[] = [
        {
            Sid: "AllowRegionalReadActions",
            Effect: "Allow",
            Resource: "*",
            Action: [
                "ec2:DescribeCapacityReservations",
                "ec2:DescribeImages",
                "ec2:DescribeInstances",
                "ec2:DescribeInstanceStatus",
                "ec2:DescribeInstanceTypeOfferings",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplates",
                "ec2:DescribePlacementGroups",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSpotPriceHistory",
                "ec2:DescribeSubnets",
            ],
            Condition: { StringEquals: { "aws:RequestedRegion": region } },
        },
        {
            Sid: "AllowSSMReadActions",
            Effect: "Allow",
            Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*`,
            Action: "ssm:GetParameter",
        },
        { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
        { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: "iam:ListInstanceProfiles" },
        { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: instanceProfiles, Action: "iam:GetInstanceProfile" },
    ];

    return {
        NodeLifecyclePolicy: policyDocument(...nodeLifecycle),
        IAMIntegrationPolicy: policyDocument(...iamIntegration),
        EKSIntegrationPolicy: policyDocument(...eksIntegration),
        InterruptionPolicy: policyDocument(...interruption),
        ZonalShiftPolicy: policyDocument(...zonalShift),
        ResourceDiscoveryPolicy: policyDocument(...resourceDiscovery),
    };
}

/** All six policies' statements in one document (what the simulator evaluates as the role's identity policy). */
export function controllerPolicy(scope: ControllerPolicyScope): PolicyDocument {
    return policyDocument(...CONTROLLER_POLICY_NAMES.flatMap((name) => controllerPolicies(scope)[name].Statement));
}

/** The node role's trust policy: EC2 assumes it (upstream: Service ec2.${AWS::URLSuffix}). */
export function nodeTrustPolicy(urlSuffix: string): PolicyDocument {
    return policyDocument({ Effect: "Allow", Principal: { Service: `ec2.${urlSuffix}` }, Action: ["sts:AssumeRole"] });
}

/** AWS managed policies on the node role, as upstream's KarpenterNodeRole lists them. */
export const NODE_MANAGED_POLICIES = [
    "AmazonEKS_CNI_Policy",
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonSSMManagedInstanceCore",
] as const;
