// The AWS Load Balancer Controller's IAM policy, as published for the pinned chart's app version
// (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json, v3.5.0). Written here as typed
// statements with the partition as a parameter; tests/ingress.test.ts compares it, action by action and statement by
// statement, with the published file. A chart upgrade that moves the app version must update this and the test pin.
// The Gateway API features need nothing more: the file is unchanged since v2.14.0, and every AWS call the v3.5.0
// service clients (pkg/aws/services) can make is in it except those of gates left off (EnableCertificateManagement:
// ACM Request/Delete and Route 53; GlobalAcceleratorController; EnableRGTAPI: tag:GetResources) and
// wafv2:ListWebACLs, which only an Ingress naming its web ACL by name uses (a LoadBalancerConfiguration takes the ARN).
import { policyDocument, type PolicyDocument, type PolicyStatement } from "../lib/iam";

/** The controller version whose published policy this is (the chart 3.5.0's appVersion). */
export const LOAD_BALANCER_CONTROLLER_POLICY_VERSION = "v3.5.0";

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";
/** The controller tags what it creates with the cluster tag; most writes require it on the request or the resource. */
const requestTagged = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "false" } };
const resourceTagged = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" } };
const retagOnlyOwned = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "true", [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" } };

export function loadBalancerControllerPolicy(partition: string): PolicyDocument {
    const ec2 = (resource: string) => `arn:${partition}:ec2:*:*:${resource}`;
    const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:*:*:${resource}`;
    const balancersAndGroups = [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")];
    const statements: PolicyStatement[] = [
        {
            Sid: "CreateElbServiceLinkedRole",
            Effect: "Allow",
            Action: ["iam:CreateServiceLinkedRole"],
            Resource: "*",
            Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
        },
        {
            Sid: "Describe",
            Effect: "Allow",
            Action: [
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
            Resource: "*",
        },
        {
            Sid: "CertificatesWafShield",
            Effect: "Allow",
            Action: [
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
            Resource: "*",
        },
        {
            Sid: "SecurityGroupIngress",
            Effect: "Allow",
            Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            Resource: "*",
        },
        { Sid: "CreateSecurityGroup", Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "*" },
        {
            Sid: "TagNewSecurityGroup",
            Effect: "Allow",
            Action: ["ec2:CreateTags"],
            Resource: ec2("security-group/*"),
            Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...requestTagged },
        },
        {
            Sid: "RetagOwnedSecurityGroup",
            Effect: "Allow",
            Action: ["ec2:CreateTags", "ec2:DeleteTags"],
            Resource: ec2("security-group/*"),
            Condition: retagOnlyOwned,
        },
        {
            Sid: "ManageOwnedSecurityGroup",
            Effect: "Allow",
            Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
            Resource: "*",
            Condition: resourceTagged,
        },
        {
            Sid: "CreateTaggedLoadBalancer",
            Effect: "Allow",
            Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            Resource: "*",
            Condition: requestTagged,
        },
        {
            Sid: "ListenersAndRules",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteRule",
            ],
            Resource: "*",
        },
        {
            Sid: "RetagOwnedLoadBalancer",
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            Resource: balancersAndGroups,
            Condition: retagOnlyOwned,
        },
        {
            Sid: "TagListenersAndRules",
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            Resource: [
                elb("listener/net/*/*/*"),
                elb("listener/app/*/*/*"),
                elb("listener-rule/net/*/*/*"),
                elb("listener-rule/app/*/*/*"),
            ],
        },
        {
            Sid: "ModifyOwnedLoadBalancer",
            Effect: "Allow",
            Action: [
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
            Resource: "*",
            Condition: resourceTagged,
        },
        {
            Sid: "TagOnCreate",
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags"],
            Resource: balancersAndGroups,
            Condition: {
                StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
                ...requestTagged,
            },
        },
        {
            Sid: "RegisterTargets",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: elb("targetgroup/*/*"),
        },
        {
            Sid: "ListenerSettings",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:SetWebAcl",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:SetRulePriorities",
            ],
            Resource: "*",
        },
    ];
    return policyDocument(...statements);
}
