// The statements on `Resource: "*"` that the published controller policies grant, identified by what they are:
// their Sid (Karpenter names every statement), their exact action set, and the condition keys that narrow them.
// A statement in this project's IAM documents may grant on "*" only if it is one of these, action for action.
// Sources: aws/karpenter-provider-aws v1.14.1, website getting-started CloudFormation (KarpenterControllerPolicy
// split into NodeLifecycle/IAMIntegration/EKSIntegration/Interruption/ZonalShift/ResourceDiscovery policies);
// kubernetes-sigs/aws-load-balancer-controller v3.5.0 docs/install/iam_policy.json; kubernetes-sigs/external-dns
// docs/tutorials/aws.md at external-dns-helm-chart-1.21.1 (its IAM policy is in the tutorial, not in a JSON file).
// tests/policy-iam.test.ts checks this list against those documents when /work/shared/reference is present.

export interface AllowedUnscopedStatement {
    /** The controller policy and version this statement belongs to. */
    source: string;
    /** The Sid upstream gives the statement; when set, the project's statement must carry the same Sid. */
    sid?: string;
    /** The exact set of actions (order does not matter). */
    actions: readonly string[];
    /** Condition operator/key pairs upstream narrows the statement with; each must be present (values may differ). */
    conditions?: readonly string[];
}

const KARPENTER = "Karpenter v1.14.1 controller policy";
const LB = "AWS Load Balancer Controller v3.5.0 iam_policy.json";
/**
 * A service role's published statement (not a controller's): the CodeBuild User Guide's "Allow CodeBuild access to
 * AWS services required to create a VPC network interface", which a build in a VPC needs (EC2's Describe actions
 * take no resource-level permissions). The delivery runner's service role carries it.
 */
export const CODEBUILD_VPC = "AWS CodeBuild User Guide, VPC network interface policy";
/** The statements whose upstream is a document's text rather than a policy file the conformance test reads. */
export const EXTERNAL_DNS_SOURCE = "external-dns v0.21.0 docs/tutorials/aws.md (IAM Policy)";

export const ALLOWED_UNSCOPED_STATEMENTS: readonly AllowedUnscopedStatement[] = [
    {
        source: CODEBUILD_VPC,
        actions: [
            "ec2:CreateNetworkInterface",
            "ec2:DescribeDhcpOptions",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DeleteNetworkInterface",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeVpcs",
        ],
    },
    {
        source: KARPENTER,
        sid: "AllowZonalShiftStatusReadOnly",
        actions: ["arc-zonal-shift:GetManagedResource"],
        conditions: ["StringEquals:arc-zonal-shift:ResourceIdentifier"],
    },
    {
        source: KARPENTER,
        sid: "AllowRegionalReadActions",
        actions: [
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
        conditions: ["StringEquals:aws:RequestedRegion"],
    },
    { source: KARPENTER, sid: "AllowPricingReadActions", actions: ["pricing:GetProducts"] },
    // Route 53 authorizes ListHostedZones on "*" only; external-dns's record changes are scoped to the stack's zones.
    { source: EXTERNAL_DNS_SOURCE, sid: "ListHostedZones", actions: ["route53:ListHostedZones"] },
    { source: KARPENTER, sid: "AllowUnscopedInstanceProfileListAction", actions: ["iam:ListInstanceProfiles"] },
    { source: LB, actions: ["iam:CreateServiceLinkedRole"], conditions: ["StringEquals:iam:AWSServiceName"] },
    {
        source: LB,
        actions: [
            "ec2:DescribeAccountAttributes",
            "ec2:DescribeAddresses",
            "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInternetGateways",
            "ec2:DescribeVpcs",
            "ec2:DescribeVpcPeeringConnections",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeInstances",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeTags",
            "ec2:GetCoipPoolUsage",
            "ec2:DescribeCoipPools",
            "ec2:GetSecurityGroupsForVpc",
            "ec2:DescribeIpamPools",
            "ec2:DescribeRouteTables",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeListenerCertificates",
            "elasticloadbalancing:DescribeSSLPolicies",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTrustStores",
            "elasticloadbalancing:DescribeListenerAttributes",
            "elasticloadbalancing:DescribeCapacityReservation",
        ],
    },
    {
        source: LB,
        actions: [
            "cognito-idp:DescribeUserPoolClient",
            "acm:ListCertificates",
            "acm:DescribeCertificate",
            "iam:ListServerCertificates",
            "iam:GetServerCertificate",
            "waf-regional:GetWebACL",
            "waf-regional:GetWebACLForResource",
            "waf-regional:AssociateWebACL",
            "waf-regional:DisassociateWebACL",
            "wafv2:GetWebACL",
            "wafv2:GetWebACLForResource",
            "wafv2:AssociateWebACL",
            "wafv2:DisassociateWebACL",
            "shield:GetSubscriptionState",
            "shield:DescribeProtection",
            "shield:CreateProtection",
            "shield:DeleteProtection",
        ],
    },
    { source: LB, actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"] },
    { source: LB, actions: ["ec2:CreateSecurityGroup"] },
    {
        source: LB,
        actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
        conditions: ["Null:aws:ResourceTag/elbv2.k8s.aws/cluster"],
    },
    {
        source: LB,
        actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
        conditions: ["Null:aws:RequestTag/elbv2.k8s.aws/cluster"],
    },
    {
        source: LB,
        actions: [
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule",
        ],
    },
    {
        source: LB,
        actions: [
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:SetIpAddressType",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyListenerAttributes",
            "elasticloadbalancing:ModifyCapacityReservation",
            "elasticloadbalancing:ModifyIpPools",
        ],
        conditions: ["Null:aws:ResourceTag/elbv2.k8s.aws/cluster"],
    },
    {
        source: LB,
        actions: [
            "elasticloadbalancing:SetWebAcl",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:AddListenerCertificates",
            "elasticloadbalancing:RemoveListenerCertificates",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities",
        ],
    },
];
