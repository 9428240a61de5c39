// Worker-node rules: launch templates (the system managed node group's), Karpenter EC2NodeClasses, node groups.
// Karpenter's EC2NodeClass defaults (IMDSv2 required, hop limit 1) are secure, so an absent field passes there;
// a launch template must say it, because EC2's defaults do not.
import {
    asArray,
    asBool,
    asNumber,
    at,
    componentInputsVisible,
    containsUnknown,
    describe,
    EC2_NODE_CLASS,
    EKS_CLUSTER_COMPONENT,
    EKS_MANAGED_NODE_GROUP_COMPONENT,
    EKS_NODE_GROUP,
    isRecord,
    isUnknown,
    LAUNCH_TEMPLATE,
    ofTypes,
    plainProps,
    resourceRule,
    stackRule,
    SUBNET,
    type EnforcementLevel,
    type PolicyResource,
    type Props,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "./lib";

const imdsOf = (type: string, props: Props) =>
    type === LAUNCH_TEMPLATE ? at(props, "metadataOptions") : at(props, "spec.metadataOptions");

export const imdsv2Required = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "nodes-imdsv2-required",
            description: describe(
                "Nodes require IMDSv2 session tokens (httpTokens: required) on launch templates and EC2NodeClasses.",
                "EKS Best Practices Guide, Security: restrict access to the instance metadata service; Karpenter docs: EC2NodeClass metadataOptions",
            ),
            types: [LAUNCH_TEMPLATE, EC2_NODE_CLASS],
            validate: (props, args, report) => {
                const options = imdsOf(args.type, props);
                if (isUnknown(options)) return;
                const tokens = at(options, "httpTokens");
                if (isUnknown(tokens)) return;
                if (tokens === undefined && args.type === EC2_NODE_CLASS) return; // Karpenter defaults to required
                if (tokens !== "required")
                    report(`metadataOptions.httpTokens is ${JSON.stringify(tokens ?? null)}: set "required" (IMDSv2 only)`);
            },
        },
        level,
    );

export const imdsHopLimit = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "nodes-imds-hop-limit-1",
            description: describe(
                "The IMDS response hop limit is 1, so pods (one network hop away) cannot take the node role's credentials.",
                "EKS Best Practices Guide, Security: restrict access to the instance profile assigned to the worker node; Karpenter docs: EC2NodeClass metadataOptions (default hop limit 1)",
            ),
            types: [LAUNCH_TEMPLATE, EC2_NODE_CLASS],
            validate: (props, args, report) => {
                const options = imdsOf(args.type, props);
                if (isUnknown(options)) return;
                const hop = asNumber(at(options, "httpPutResponseHopLimit"));
                if (hop === "unknown" || hop === 1) return;
                if (hop === undefined && args.type === EC2_NODE_CLASS) return; // Karpenter defaults to 1
                report(`metadataOptions.httpPutResponseHopLimit is ${hop ?? "not set"}: set 1`);
            },
        },
        level,
    );

export const ebsEncrypted = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "nodes-ebs-encrypted",
            description: describe(
                "Every node volume declared on a launch template or EC2NodeClass is an encrypted EBS volume, and the root volume is declared (not left to the AMI's snapshot).",
                "EKS Best Practices Guide, Security (Data encryption): encrypt data at rest; Karpenter docs: EC2NodeClass blockDeviceMappings",
            ),
            types: [LAUNCH_TEMPLATE, EC2_NODE_CLASS],
            validate: (props, args, report) => {
                const mappings = args.type === LAUNCH_TEMPLATE ? props.blockDeviceMappings : at(props, "spec.blockDeviceMappings");
                if (isUnknown(mappings)) return;
                const list = asArray(mappings);
                if (list.length === 0) return report("no blockDeviceMappings: declare the root volume with ebs.encrypted true");
                list.forEach((m, i) => {
                    if (!isRecord(m) || m.noDevice !== undefined || m.virtualName !== undefined) return;
                    const encrypted = asBool(at(m, "ebs.encrypted"));
                    if (encrypted === "unknown" || encrypted === true) return;
                    report(`blockDeviceMappings[${i}] (${String(m.deviceName ?? "?")}) is not encrypted: set ebs.encrypted true`);
                });
            },
        },
        level,
    );

export const noPublicIp = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "nodes-no-public-ip",
            description: describe(
                "Nodes get no public IP address: launch templates do not associate one, and @pulumi/eks's node settings do not ask for one.",
                "CIS Amazon EKS Benchmark 5.4.3 (private nodes); EKS Best Practices Guide, Network security: run nodes in private subnets",
            ),
            types: [LAUNCH_TEMPLATE, EKS_CLUSTER_COMPONENT],
            validate: (props, args, report) => {
                if (args.type === EKS_CLUSTER_COMPONENT) {
                    if (!componentInputsVisible(props)) return;
                    const skip = asBool(props.skipDefaultNodeGroup);
                    if (skip === true || skip === "unknown") return; // the setting only affects the default node group
                    if (asBool(props.nodeAssociatePublicIpAddress) !== false)
                        report("the default node group associates public IPs (nodeAssociatePublicIpAddress not false)");
                    return;
                }
                asArray(props.networkInterfaces).forEach((nic, i) => {
                    if (asBool(at(nic, "associatePublicIpAddress")) === true)
                        report(`networkInterfaces[${i}] associates a public IP address`);
                });
            },
        },
        level,
    );

export const noSshAccess = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "nodes-no-ssh-access",
            description: describe(
                "Nodes are not reachable over SSH: no node-group remoteAccess and no EC2 key pair on launch templates (use SSM Session Manager).",
                "EKS Best Practices Guide, Security (Infrastructure security): minimize access to worker nodes",
            ),
            types: [LAUNCH_TEMPLATE, EKS_MANAGED_NODE_GROUP_COMPONENT, EKS_NODE_GROUP],
            validate: (props, args, report) => {
                if (args.type === LAUNCH_TEMPLATE) {
                    const key = props.keyName;
                    if (typeof key === "string" && key !== "" && !isUnknown(key)) report(`keyName ${key} gives SSH access to the nodes`);
                    return;
                }
                const remote = props.remoteAccess;
                if (remote !== undefined && remote !== null && !isUnknown(remote)) report("remoteAccess opens SSH to the nodes");
            },
        },
        level,
    );

/** Subnets a resource depends on: its subnetIds' property dependencies in a real preview, all its dependencies offline. */
function subnetsOf(resource: PolicyResource, property: string): PolicyResource[] {
    const byProperty = resource.propertyDependencies?.[property];
    const candidates = byProperty && byProperty.length > 0 ? byProperty : resource.dependencies;
    return candidates.filter((d) => d.type === SUBNET);
}

function tagsOf(props: Props): Record<string, unknown> {
    const tags = props.tags;
    return isRecord(tags) ? tags : {};
}

/** A subnet is public when it hands out public IPs or is tagged for internet-facing load balancers. */
function isPublicSubnet(props: Props): boolean | "unknown" {
    const mapPublic = asBool(props.mapPublicIpOnLaunch);
    if (mapPublic === "unknown") return "unknown";
    return mapPublic === true || tagsOf(props)["kubernetes.io/role/elb"] !== undefined;
}

export const nodesInPrivateSubnets = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "nodes-in-private-subnets",
            description: describe(
                "Node groups launch only into private subnets, and every EC2NodeClass's subnet selector matches only private subnets of the stack.",
                "CIS Amazon EKS Benchmark 5.4.3 (private nodes); EKS Best Practices Guide, Network security / Karpenter: subnetSelectorTerms",
            ),
            validate: (resources, _args, report) => {
                const subnets = ofTypes(resources, [SUBNET]);
                for (const { resource, props } of ofTypes(resources, [EKS_MANAGED_NODE_GROUP_COMPONENT, EKS_NODE_GROUP])) {
                    if (containsUnknown(props.subnetIds)) continue;
                    for (const subnet of subnetsOf(resource, "subnetIds")) {
                        if (isPublicSubnet(plainProps(subnet.props)) === true)
                            report(`node group ${resource.name} launches into public subnet ${subnet.name}`, resource.urn);
                    }
                }
                for (const { resource, props } of ofTypes(resources, [EC2_NODE_CLASS])) {
                    const terms = at(props, "spec.subnetSelectorTerms");
                    if (isUnknown(terms)) continue;
                    for (const term of asArray(terms)) {
                        const wanted = at(term, "tags");
                        if (!isRecord(wanted) || Object.values(wanted).some(isUnknown)) continue; // id-selected subnets are not in the plan by id
                        const matches = subnets.filter(({ props: s }) => {
                            const tags = tagsOf(s);
                            return Object.entries(wanted).every(([k, v]) => tags[k] !== undefined && (v === "*" || tags[k] === v));
                        });
                        for (const m of matches) {
                            if (isPublicSubnet(m.props) === true)
                                report(
                                    `EC2NodeClass ${resource.name} selects public subnet ${m.resource.name} (tags ${JSON.stringify(wanted)})`,
                                    resource.urn,
                                );
                        }
                    }
                }
            },
        },
        level,
    );
