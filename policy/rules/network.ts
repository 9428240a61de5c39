// Network rules: security groups closed to the internet (except HTTP/HTTPS on load balancers), VPC flow logs on,
// subnets that do not hand out public addresses. Cross-resource checks are stack policies that follow dependency
// edges (per property in a real preview, all edges offline).
import {
    asArray,
    asBool,
    asNumber,
    containsUnknown,
    describe,
    isRecord,
    isUnknown,
    ofTypes,
    plainProps,
    resourceRule,
    stackRule,
    SUBNET,
    VPC,
    type EnforcementLevel,
    type PolicyResource,
    type Props,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "./lib";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

interface Ingress {
    cidrs: unknown[];
    fromPort: number | undefined | "unknown";
    toPort: number | undefined | "unknown";
    protocol: unknown;
}

const isOpen = (cidr: unknown) => typeof cidr === "string" && cidr.endsWith("/0");

function ingressesOf(type: string, props: Props): Ingress[] {
    if (type === SECURITY_GROUP) {
        return asArray(props.ingress)
            .filter(isRecord)
            .map((r) => ({
                cidrs: [...asArray(r.cidrBlocks), ...asArray(r.ipv6CidrBlocks)],
                fromPort: asNumber(r.fromPort),
                toPort: asNumber(r.toPort),
                protocol: r.protocol,
            }));
    }
    if (type === INGRESS_RULE) {
        return [
            {
                cidrs: [props.cidrIpv4, props.cidrIpv6].filter((c) => c !== undefined),
                fromPort: asNumber(props.fromPort),
                toPort: asNumber(props.toPort),
                protocol: props.ipProtocol,
            },
        ];
    }
    if (props.type !== "ingress") return [];
    return [
        {
            cidrs: [...asArray(props.cidrBlocks), ...asArray(props.ipv6CidrBlocks)],
            fromPort: asNumber(props.fromPort),
            toPort: asNumber(props.toPort),
            protocol: props.protocol,
        },
    ];
}

function securityGroupOf(resource: PolicyResource): PolicyResource | undefined {
    if (resource.type === SECURITY_GROUP) return resource;
    const byProperty = resource.propertyDependencies?.securityGroupId;
    const candidates = byProperty && byProperty.length > 0 ? byProperty : resource.dependencies;
    return candidates.find((d) => d.type === SECURITY_GROUP);
}

export const noPublicIngress = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "security-group-no-public-ingress",
            description: describe(
                "No security group admits 0.0.0.0/0 or ::/0, except TCP 80 and 443 on load-balancer security groups (tagged as such).",
                "CIS AWS Foundations Benchmark (no security group ingress from 0.0.0.0/0 or ::/0); EKS Best Practices Guide, Network security: security groups",
            ),
            configSchema: {
                properties: {
                    loadBalancerTags: { type: "object", default: { "elbv2.k8s.aws/cluster": "*", "eks-platform/role": "load-balancer" } },
                    publicPorts: { type: "array", items: { type: "number" }, default: [80, 443] },
                },
            },
            validate: (resources, args, report) => {
                const { loadBalancerTags, publicPorts } = args.getConfig<{
                    loadBalancerTags: Record<string, string>;
                    publicPorts: number[];
                }>();
                const isLoadBalancerGroup = (sg: PolicyResource | undefined) => {
                    if (!sg) return false;
                    const tags = plainProps(sg.props).tags;
                    if (!isRecord(tags)) return false;
                    return Object.entries(loadBalancerTags).some(([k, v]) => tags[k] !== undefined && (v === "*" || tags[k] === v));
                };
                for (const { resource, props } of ofTypes(resources, [SECURITY_GROUP, INGRESS_RULE, SG_RULE])) {
                    for (const rule of ingressesOf(resource.type, props)) {
                        if (containsUnknown(rule.cidrs)) continue;
                        const open = rule.cidrs.filter(isOpen);
                        if (open.length === 0) continue;
                        if (rule.fromPort === "unknown" || rule.toPort === "unknown" || isUnknown(rule.protocol)) continue;
                        const web =
                            String(rule.protocol).toLowerCase() === "tcp" &&
                            rule.fromPort !== undefined &&
                            rule.fromPort === rule.toPort &&
                            publicPorts.includes(rule.fromPort);
                        if (web && isLoadBalancerGroup(securityGroupOf(resource))) continue;
                        const ports =
                            rule.fromPort === undefined
                                ? "all ports"
                                : rule.fromPort === rule.toPort
                                  ? `port ${rule.fromPort}`
                                  : `ports ${rule.fromPort}-${String(rule.toPort)}`;
                        report(
                            `${resource.name} admits ${open.join(", ")} on ${String(rule.protocol)} ${ports}${web ? " but is not a load balancer's security group" : ""}`,
                            resource.urn,
                        );
                    }
                }
            },
        },
        level,
    );

export const vpcFlowLogs = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "vpc-flow-logs-enabled",
            description: describe(
                "Every VPC has a flow log capturing ALL traffic.",
                "CIS AWS Foundations Benchmark (VPC flow logging enabled in all VPCs); EKS Best Practices Guide, Network security / Auditing: VPC flow logs",
            ),
            validate: (resources, _args, report) => {
                const flowLogs = ofTypes(resources, ["aws:ec2/flowLog:FlowLog"]);
                for (const { resource: vpc } of ofTypes(resources, [VPC])) {
                    const logs = flowLogs.filter(({ resource }) => {
                        const byProperty = resource.propertyDependencies?.vpcId;
                        const deps = byProperty && byProperty.length > 0 ? byProperty : resource.dependencies;
                        return deps.some((d) => d.urn === vpc.urn);
                    });
                    if (logs.length === 0) {
                        report(`VPC ${vpc.name} has no flow log`, vpc.urn);
                        continue;
                    }
                    const all = logs.some(({ props }) => isUnknown(props.trafficType) || props.trafficType === "ALL");
                    if (!all) report(`VPC ${vpc.name}'s flow logs do not capture ALL traffic`, vpc.urn);
                }
            },
        },
        level,
    );

export const subnetNoPublicIpOnLaunch = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "subnet-no-public-ip-on-launch",
            description: describe(
                "No subnet assigns public IPs on launch (NAT gateways and load balancers do not need it; nodes must not get one).",
                "AWS Foundational Security Best Practices EC2.15; CIS Amazon EKS Benchmark 5.4.3 (private nodes)",
            ),
            types: [SUBNET],
            validate: (props, _args, report) => {
                if (asBool(props.mapPublicIpOnLaunch) === true)
                    report("mapPublicIpOnLaunch is true: instances launched here get public IPs");
            },
        },
        level,
    );
