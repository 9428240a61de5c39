// Required tags on every taggable AWS resource, counting the tags the aws provider adds (defaultTags), which is
// how the program tags everything: the provider resource's props carry defaultTags (a JSON string offline).
import { describe, isRecord, isUnknown, jsonDoc, resourceRule, type EnforcementLevel, type ResourceValidationPolicy } from "./lib";

/** AWS resource types this platform creates that take tags. */
export const TAGGABLE_TYPES = [
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/eip:Eip",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:ec2/flowLog:FlowLog",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:kms/key:Key",
    "aws:iam/role:Role",
    "aws:iam/policy:Policy",
    "aws:iam/instanceProfile:InstanceProfile",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:sqs/queue:Queue",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:eks/cluster:Cluster",
    "aws:eks/nodeGroup:NodeGroup",
    "aws:eks/addon:Addon",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    "aws:eks/accessEntry:AccessEntry",
] as const;

export const DEFAULT_REQUIRED_TAGS = ["Project", "Environment", "Stack", "ManagedBy", "Owner", "CostCenter"];

/** The provider's default tags: `defaultTags: { tags }` as an object, or JSON-encoded as provider inputs are. */
export function providerDefaultTags(providerProps: Record<string, unknown> | undefined): Record<string, unknown> | "unknown" {
    if (!providerProps) return {};
    const doc = jsonDoc(providerProps.defaultTags);
    if (doc === "unknown") return "unknown";
    const tags = isRecord(doc) ? doc.tags : undefined;
    if (isUnknown(tags)) return "unknown";
    return isRecord(tags) ? tags : {};
}

export const requiredTags = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "required-tags",
            description: describe(
                `Every taggable AWS resource carries the required tags (default: ${DEFAULT_REQUIRED_TAGS.join(", ")}), from its own tags or its provider's defaultTags.`,
                "EKS Best Practices Guide, Cost Optimization: tag resources for cost allocation; AWS Tagging Best Practices whitepaper",
            ),
            types: TAGGABLE_TYPES,
            configSchema: { properties: { requiredKeys: { type: "array", items: { type: "string" }, default: DEFAULT_REQUIRED_TAGS } } },
            validate: (props, args, report) => {
                const { requiredKeys } = args.getConfig<{ requiredKeys: string[] }>();
                const own = props.tags;
                if (isUnknown(own)) return;
                const fromProvider = providerDefaultTags(args.provider?.props as Record<string, unknown> | undefined);
                if (fromProvider === "unknown") return;
                const tags = { ...fromProvider, ...(isRecord(own) ? own : {}) };
                const missing = requiredKeys.filter((k) => tags[k] === undefined || tags[k] === "");
                if (missing.length > 0)
                    report(`missing required tags ${missing.join(", ")} (neither on the resource nor in its provider's defaultTags)`);
            },
        },
        level,
    );
