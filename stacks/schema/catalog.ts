// Settings that name something AWS has a list of: regions, instance types, instance families, IAM principals. Each is
// checked against the pinned catalogues in lib/catalog (generated from upstream data, `npm run catalog`), and an
// unknown value gets the nearest known names.
import { z } from "zod";
import {
    isKnownFamily,
    isKnownInstanceType,
    region as regionInfo,
    suggestFamilies,
    suggestInstanceTypes,
    suggestRegions,
} from "../../lib/catalog";
import { INSTANCE_TYPE_SOURCES } from "../../lib/catalog/instance-types.generated";
import { REGION_DATA_VERSIONS } from "../../lib/catalog/regions.generated";

/** " (did you mean a, b or c?)", or nothing when no known name is close. */
export function didYouMean(suggestions: readonly string[]): string {
    if (suggestions.length === 0) return "";
    const list =
        suggestions.length === 1 ? suggestions[0] : `${suggestions.slice(0, -1).join(", ")} or ${suggestions[suggestions.length - 1]}`;
    return ` (did you mean ${list}?)`;
}

const sourceName = (s: (typeof INSTANCE_TYPE_SOURCES)[number]) =>
    `${s.repository.split("/")[1]} ${s.ref.length === 40 ? s.ref.slice(0, 8) : s.ref}`;
/** Where the instance-type catalogue comes from, for messages: "amazon-vpc-cni-k8s v1.23.0 and karpenter-provider-aws 1d927085". */
export const INSTANCE_CATALOGUE = INSTANCE_TYPE_SOURCES.map(sourceName).join(" and ");
/** Where the ENI limits come from: the VPC CNI's own table (the first source of the catalogue). */
export const ENI_LIMITS_SOURCE = INSTANCE_TYPE_SOURCES.filter((s) => s.repository === "aws/amazon-vpc-cni-k8s")
    .map((s) => `${sourceName(s)} ${s.path}`)
    .join(", ");

/**
 * A region the AWS SDK lists (@aws-sdk/core's partitions data) and @pulumi/aws knows. A region the SDK has but
 * @pulumi/aws does not list yet is refused too: the provider resolves the region from its own data and fails on
 * one it lacks (pulumi/pulumi-aws#5568: mx-central-1 until @pulumi/aws 6.82), so the stack could never deploy.
 */
/**
 * The partitions the program builds ARNs, service principals and DNS suffixes for (components/lib/context.ts
 * Partition, which tests/config/catalog.test.ts holds to this list and to the catalogue's partition of every region).
 */
export const PLATFORM_PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

export const knownRegion = z.string().superRefine((name, ctx) => {
    const known = regionInfo(name);
    if (known && !(PLATFORM_PARTITIONS as readonly string[]).includes(known.partition))
        ctx.addIssue({
            code: "custom",
            message: `is a region of partition ${known.partition} (${known.description}), which this platform does not build ARNs and service principals for: it supports ${PLATFORM_PARTITIONS.join(", ")}`,
        });
    else if (!known)
        ctx.addIssue({
            code: "custom",
            message: `must be an AWS region the AWS SDK lists (@aws-sdk/core ${REGION_DATA_VERSIONS.sdkCore})${didYouMean(suggestRegions(name)) || ", such as eu-west-1"}`,
        });
    else if (!known.inPulumiEnum)
        ctx.addIssue({
            code: "custom",
            message: `is an AWS region (${known.description}) that @pulumi/aws ${REGION_DATA_VERSIONS.pulumiAws} does not know yet: its provider would refuse it at deploy time; upgrade @pulumi/aws, then run npm run catalog`,
        });
});

export const knownInstanceType = z.string().superRefine((name, ctx) => {
    if (!isKnownInstanceType(name))
        ctx.addIssue({
            code: "custom",
            message: `must be an EC2 instance type such as m7g.large that the instance-type catalogue lists (${INSTANCE_CATALOGUE})${didYouMean(suggestInstanceTypes(name))}`,
        });
});

export const knownInstanceFamily = z.string().superRefine((family, ctx) => {
    if (!isKnownFamily(family))
        ctx.addIssue({
            code: "custom",
            message: `must be an EC2 instance family such as m7g or c7i that the instance-type catalogue lists (${INSTANCE_CATALOGUE})${didYouMean(suggestFamilies(family))}`,
        });
});

/** The parts of an IAM ARN this platform reads: arn:<partition>:<service>::<account>:<resource>. */
export interface PrincipalArn {
    partition: string;
    service: string;
    account: string;
    resource: string;
}

export function parseArn(arn: string): PrincipalArn | undefined {
    const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):[a-z0-9-]*:(\d{12}):(.+)$/.exec(arn);
    return m ? { partition: m[1] as string, service: m[2] as string, account: m[3] as string, resource: m[4] as string } : undefined;
}

const ROLE_OR_USER = /^(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;

/** Why an ARN is not an IAM role or user an EKS access entry can name, or undefined when it is one. */
export function principalProblem(arn: string): string | undefined {
    const parsed = parseArn(arn);
    const example = "such as arn:aws:iam::123456789012:role/platform-admin";
    if (!parsed) return `must be an IAM role or user ARN ${example}`;
    const { partition, service, account, resource } = parsed;
    if (service === "sts") {
        const session = /^assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/.exec(resource);
        if (session)
            return (
                `is an STS session ARN (a role's temporary credentials), which EKS refuses as an access entry: use the role's ARN ` +
                `arn:${partition}:iam::${account}:role/${session[1]} (with its path, if it has one: IAM Identity Center roles live under ` +
                `aws-reserved/sso.amazonaws.com/; aws iam get-role --role-name ${session[1]} prints the ARN)`
            );
        if (resource.startsWith("federated-user/"))
            return "is a federated user session, which EKS refuses as an access entry: name the IAM role the federation assumes";
        return `must be an IAM role or user ARN ${example}: STS ARNs name sessions, not principals`;
    }
    if (service !== "iam") return `must be an IAM role or user ARN ${example} (this one is of service ${service})`;
    if (resource === "root") return "is an account's root user: access entries name an IAM role or user of the account";
    if (resource.startsWith("group/"))
        return "is an IAM group, which EKS access entries cannot name: grant a role the group's members assume";
    if (!ROLE_OR_USER.test(resource)) return `must be an IAM role or user ARN ${example}`;
    return undefined;
}

/** An IAM role or user ARN; session ARNs refused with the role ARN to use instead. The partition is a region rule. */
export const iamPrincipalArn = z.string().superRefine((arn, ctx) => {
    const problem = principalProblem(arn);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});
