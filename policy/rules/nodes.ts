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
    isRecord,
    isUnknown,
    judgedOnce,
    LAUNCH_TEMPLATE,
    NODE_GROUP_PAIR,
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

export const noSshAccess = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "nodes-no-ssh-access",
            description: describe(
                "Nodes are not reachable over SSH: no node-group remoteAccess and no EC2 key pair on launch templates (use SSM Session Manager).",
                "EKS Best Practices Guide, Security (Infrastructure security): minimize access to worker nodes",
            ),
            validate: (resources, _args, report) => {
                for (const { resource, props } of ofTypes(resources, [LAUNCH_TEMPLATE])) {
                    const key = props.keyName;
                    if (typeof key === "string" && key !== "" && !isUnknown(key))
                        report(`keyName ${key} gives SSH access to the nodes`, resource.urn);
                }
                for (const { resource, props } of judgedOnce(resources, NODE_GROUP_PAIR)) {
                    const remote = props.remoteAccess;
                    if (remote !== undefined && remote !== null && !isUnknown(remote))
                        report("remoteAccess opens SSH to the nodes", resource.urn);
                }
            },
        },
        level,
    );

const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ROUTE = "aws:ec2/route:Route";
const ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway";

function tagsOf(props: Props): Record<string, unknown> {
    const tags = props.tags;
    return isRecord(tags) ? tags : {};
}

/** A resource's own id (a real preview's outputs carry it once created; the offline plan records the mocked one). */
const idOf = (r: PolicyResource): string | undefined => {
    const id = plainProps(r.props).id;
    return typeof id === "string" && id !== "" && !isUnknown(id) ? id : undefined;
};

/** Whether `from.props[property]` names `target`: by id where both are known, else by that property's dependencies. */
function names(from: PolicyResource, property: string, target: PolicyResource): boolean {
    const value = plainProps(from.props)[property];
    const id = idOf(target);
    if (typeof value === "string" && !isUnknown(value) && id !== undefined) return value === id;
    return (from.propertyDependencies?.[property] ?? []).some((d) => d.urn === target.urn);
}

/**
 * Which of the stack's subnets are public, read from their own properties: they hand out public IPs, are tagged for
 * internet-facing load balancers, or are associated with a route table that routes to an internet gateway.
 */
function publicSubnetsOf(resources: readonly PolicyResource[]): Set<string> {
    const gateways = resources.filter((r) => r.type === INTERNET_GATEWAY);
    const toGateway = (from: PolicyResource, property: string, value: unknown) =>
        (typeof value === "string" && value.startsWith("igw-")) || gateways.some((g) => names(from, property, g));
    const tables = resources.filter((r) => r.type === ROUTE_TABLE);
    const routes = resources.filter((r) => r.type === ROUTE);
    const internetTables = tables.filter(
        (t) =>
            asArray(plainProps(t.props).routes).some((route) => toGateway(t, "routes", at(route, "gatewayId"))) ||
            routes.some((r) => names(r, "routeTableId", t) && toGateway(r, "gatewayId", plainProps(r.props).gatewayId)),
    );
    const associations = resources.filter((r) => r.type === ROUTE_TABLE_ASSOCIATION);
    const out = new Set<string>();
    for (const subnet of resources.filter((r) => r.type === SUBNET)) {
        const props = plainProps(subnet.props);
        const routed = associations.some((a) => names(a, "subnetId", subnet) && internetTables.some((t) => names(a, "routeTableId", t)));
        if (asBool(props.mapPublicIpOnLaunch) === true || tagsOf(props)["kubernetes.io/role/elb"] !== undefined || routed)
            out.add(subnet.urn);
    }
    return out;
}

/**
 * The stack's subnets a node group launches into, from its subnetIds matched to the subnets' ids; where the ids are
 * not known yet, from the dependencies of the subnetIds property alone (never every edge: a node group depends on the
 * cluster, and through it on the public subnets, without launching there).
 */
function launchSubnets(group: PolicyResource, props: Props, subnets: readonly PolicyResource[]): PolicyResource[] {
    const ids = asArray(props.subnetIds);
    if (!containsUnknown(props.subnetIds) && ids.length > 0) {
        return subnets.filter((s) => {
            const id = idOf(s);
            return id !== undefined && ids.includes(id);
        });
    }
    const byProperty = new Set((group.propertyDependencies?.subnetIds ?? []).map((d) => d.urn));
    return subnets.filter((s) => byProperty.has(s.urn));
}

export const nodesInPrivateSubnets = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "nodes-in-private-subnets",
            description: describe(
                "Node groups launch only into private subnets (their subnetIds against the subnets' own properties: public IPs on launch, the internet-facing ELB tag, a route to an internet gateway), and every EC2NodeClass's subnet selector matches only private subnets of the stack.",
                "CIS Amazon EKS Benchmark 5.4.3 (private nodes); EKS Best Practices Guide, Network security / Karpenter: subnetSelectorTerms",
            ),
            validate: (resources, _args, report) => {
                const subnets = resources.filter((r) => r.type === SUBNET);
                const isPublic = publicSubnetsOf(resources);
                for (const { resource, props } of judgedOnce(resources, NODE_GROUP_PAIR)) {
                    for (const subnet of launchSubnets(resource, props, subnets)) {
                        if (isPublic.has(subnet.urn))
                            report(`node group ${resource.name} launches into public subnet ${subnet.name}`, resource.urn);
                    }
                }
                for (const { resource, props } of ofTypes(resources, [EC2_NODE_CLASS])) {
                    const terms = at(props, "spec.subnetSelectorTerms");
                    if (isUnknown(terms)) continue;
                    for (const term of asArray(terms)) {
                        const wanted = at(term, "tags");
                        if (!isRecord(wanted) || Object.values(wanted).some(isUnknown)) continue; // id-selected subnets are not in the plan by id
                        const matches = subnets.filter((s) => {
                            const tags = tagsOf(plainProps(s.props));
                            return Object.entries(wanted).every(([k, v]) => tags[k] !== undefined && (v === "*" || tags[k] === v));
                        });
                        for (const m of matches) {
                            if (isPublic.has(m.urn))
                                report(
                                    `EC2NodeClass ${resource.name} selects public subnet ${m.name} (tags ${JSON.stringify(wanted)})`,
                                    resource.urn,
                                );
                        }
                    }
                }
            },
        },
        level,
    );
