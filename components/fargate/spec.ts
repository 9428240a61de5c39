// Pure parts of the Fargate component: the pod execution role's trust and logging policy, the log router's
// ConfigMap, and the profiles' selectors. Plain values in, plain objects out (tests/fargate).
import { policyDocument, type PolicyDocument } from "../lib/iam";

export type FargateProfileInput = { name: string; namespaces: readonly string[]; labels?: Readonly<Record<string, string>> };

/** The service principal Fargate's pod infrastructure assumes the pod execution role as. */
export const FARGATE_PODS_SERVICE = "eks-fargate-pods.amazonaws.com";
/** The managed policy of the pod execution role (pull from ECR; EKS user guide, security-iam.adoc). */
export const FARGATE_POD_EXECUTION_POLICY = "AmazonEKSFargatePodExecutionRolePolicy";
/** The namespace and ConfigMap Fargate's built-in log router reads (EKS user guide, fargate-logging.adoc). */
export const FARGATE_LOGGING_NAMESPACE = "aws-observability";
export const FARGATE_LOGGING_CONFIGMAP = "aws-logging";
/** "Can't exceed 5300 characters" (same page). */
export const FARGATE_LOGGING_MAX_CHARS = 5300;

/**
 * Trust of the pod execution role: Fargate, for this cluster's Fargate profiles only (the SourceArn condition of
 * the EKS user guide's trust policy, security-iam.adoc "Creating the Amazon EKS Pod execution role").
 */
export function podExecutionTrustPolicy(s: { partition: string; region: string; accountId: string; clusterName: string }): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { Service: FARGATE_PODS_SERVICE },
        Action: "sts:AssumeRole",
        Condition: { ArnLike: { "aws:SourceArn": `arn:${s.partition}:eks:${s.region}:${s.accountId}:fargateprofile/${s.clusterName}/*` } },
    });
}

/**
 * What the log router needs to write to its log group. Upstream's example (aws-samples/amazon-eks-fluent-logging-
 * examples examples/fargate/cloudwatchlogs/permissions.json) grants logs:CreateLogStream, CreateLogGroup,
 * DescribeLogStreams, PutLogEvents and PutRetentionPolicy on "*"; the group and its retention are the stack's here,
 * so the router only makes streams in it and writes to them.
 */
export function fargateLoggingPolicy(logGroupArn: string): PolicyDocument {
    return policyDocument({
        Sid: "WriteFargateLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        Resource: [logGroupArn, `${logGroupArn}:log-stream:*`],
    });
}

/** The log group Fargate pods' logs go to. */
export const fargateLogGroupName = (clusterName: string): string => `/aws/eks/${clusterName}/fargate`;

/**
 * The aws-logging ConfigMap: the CloudWatch example of the EKS user guide (fargate-logging.adoc), with the stack's
 * region and log group, the group made by the stack (auto_create_group false) and the router's own logs kept out.
 * Only [FILTER], [OUTPUT] and [PARSER] sections are accepted; keys are indented more than directives.
 */
export function awsLoggingData(region: string, logGroupName: string): Record<string, string> {
    return {
        flb_log_cw: "false",
        "filters.conf": [
            "[FILTER]",
            "    Name parser",
            "    Match *",
            "    Key_name log",
            "    Parser crio",
            "[FILTER]",
            "    Name kubernetes",
            "    Match kube.*",
            "    Merge_Log On",
            "    Keep_Log Off",
            "    Buffer_Size 0",
            "    Kube_Meta_Cache_TTL 300s",
            "",
        ].join("\n"),
        "output.conf": [
            "[OUTPUT]",
            "    Name cloudwatch_logs",
            "    Match kube.*",
            `    region ${region}`,
            `    log_group_name ${logGroupName}`,
            "    log_stream_prefix fargate-",
            "    auto_create_group false",
            "",
        ].join("\n"),
        "parsers.conf": [
            "[PARSER]",
            "    Name crio",
            "    Format Regex",
            "    Regex ^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>P|F) (?<log>.*)$",
            "    Time_Key    time",
            "    Time_Format %Y-%m-%dT%H:%M:%S.%L%z",
            "",
        ].join("\n"),
    };
}

/** The namespace Fargate's log router looks in: named aws-observability and labelled aws-observability: enabled. */
export const fargateLoggingNamespace = () => ({
    metadata: { name: FARGATE_LOGGING_NAMESPACE, labels: { "aws-observability": "enabled" } },
});

/** One selector per namespace, each with the profile's labels. */
export function fargateSelectors(profile: FargateProfileInput): { namespace: string; labels?: Record<string, string> }[] {
    return profile.namespaces.map((namespace) => ({
        namespace,
        ...(profile.labels && Object.keys(profile.labels).length > 0 ? { labels: { ...profile.labels } } : {}),
    }));
}

/**
 * A namespace the Fargate component creates (one no team owns): Pod Security baseline enforced (Fargate refuses
 * privileged pods anyway), restricted warned and audited.
 */
export function fargateNamespace(namespace: string) {
    return {
        metadata: {
            name: namespace,
            labels: {
                "eks-platform/component": "fargate",
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
            },
        },
    };
}
