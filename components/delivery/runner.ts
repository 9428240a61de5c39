// The stack's in-VPC runner as data: a CodeBuild project that registers a GitHub Actions runner for each queued job
// labelled codebuild-<project>-<run id>-<attempt> (AWS CodeBuild User Guide, "Self-hosted GitHub Actions runners in
// AWS CodeBuild" and "Tutorial: Configure a CodeBuild-hosted GitHub Actions runner"), in the private subnets, so the
// jobs reach the cluster's private endpoint. Its service role may only write its logs, attach its network interfaces
// and use the GitHub connection: the jobs get AWS credentials from GitHub's OIDC token (the bootstrap's roles), never
// from the runner.
import type { PlatformConfig } from "../../stacks/config";
import { policyDocument, type PolicyDocument } from "../lib/iam";

type CodeBuildSettings = PlatformConfig["delivery"]["codebuild"];

/**
 * The workflows whose jobs may start the runner (the webhook's WORKFLOW_NAME filter; each workflow's `name:`). The
 * offline jobs (ci, the diff) stay on GitHub-hosted runners.
 */
export const RUNNER_WORKFLOWS = ["preview", "deploy", "drift"] as const;

/** The webhook's one filter group: a queued workflow job of one of RUNNER_WORKFLOWS (CodeBuild API, WebhookFilter). */
export function runnerWebhookFilterGroups(): { filters: { type: string; pattern: string }[] }[] {
    return [
        {
            filters: [
                { type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" },
                { type: "WORKFLOW_NAME", pattern: `^(${RUNNER_WORKFLOWS.join("|")})$` },
            ],
        },
    ];
}

export interface RunnerScope {
    partition: string;
    region: string;
    accountId: string;
    projectName: string;
}

export const runnerProjectArn = (s: RunnerScope): string =>
    `arn:${s.partition}:codebuild:${s.region}:${s.accountId}:project/${s.projectName}`;

/** The project's log group (CodeBuild's default name, made here with a retention). */
export const runnerLogGroupName = (projectName: string): string => `/aws/codebuild/${projectName}`;

/** CodeBuild, for this project of this account only (the service's confused-deputy keys aws:SourceAccount and aws:SourceArn). */
export function runnerTrustPolicy(s: RunnerScope): PolicyDocument {
    return policyDocument({
        Sid: "CodeBuildForThisProject",
        Effect: "Allow",
        Principal: { Service: "codebuild.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": s.accountId, "aws:SourceArn": runnerProjectArn(s) } },
    });
}

/** The connection's IAM service prefix: connections made before 2024 carry codestar-connections ARNs. */
export const connectionServicePrefix = (connectionArn: string): string => connectionArn.split(":")[2] ?? "codeconnections";

/**
 * What the runner's service role may do: write its log group; make, describe and delete the network interfaces of
 * builds in the VPC and allow them only in the stack's private subnets, for CodeBuild (the User Guide's VPC policy
 * for a service role); and get tokens of the GitHub connection (the User Guide's GitHub App connection policy).
 */
export function runnerServicePolicy(s: RunnerScope & { privateSubnetIds: readonly string[]; connectionArn: string }): PolicyDocument {
    const logGroup = `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${runnerLogGroupName(s.projectName)}`;
    const prefix = connectionServicePrefix(s.connectionArn);
    return policyDocument(
        {
            Sid: "WriteItsLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [logGroup, `${logGroup}:*`],
        },
        {
            Sid: "BuildsInTheVpc",
            Effect: "Allow",
            Action: [
                "ec2:CreateNetworkInterface",
                "ec2:DescribeDhcpOptions",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeVpcs",
            ],
            Resource: "*",
        },
        {
            Sid: "InterfacesOnlyInThePrivateSubnets",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterfacePermission",
            Resource: `arn:${s.partition}:ec2:${s.region}:${s.accountId}:network-interface/*`,
            Condition: {
                StringEquals: {
                    "ec2:Subnet": s.privateSubnetIds.map((id) => `arn:${s.partition}:ec2:${s.region}:${s.accountId}:subnet/${id}`),
                    "ec2:AuthorizedService": "codebuild.amazonaws.com",
                },
            },
        },
        {
            Sid: "UseTheGitHubConnection",
            Effect: "Allow",
            Action: [`${prefix}:GetConnectionToken`, `${prefix}:GetConnection`],
            Resource: s.connectionArn,
        },
    );
}

/** The project's environment: a Linux container of the configured image and size, no privileged mode (no Docker builds). */
export function runnerEnvironment(c: Pick<CodeBuildSettings, "computeType" | "image">) {
    return {
        type: c.image.includes("aarch64") ? "ARM_CONTAINER" : "LINUX_CONTAINER",
        computeType: c.computeType,
        image: c.image,
        imagePullCredentialsType: "CODEBUILD",
        privilegedMode: false,
    } as const;
}

/** The source CodeBuild registers the runner for: this repository, through the GitHub connection. */
export function runnerSource(repository: string, connectionArn: string) {
    return {
        type: "GITHUB",
        location: `https://github.com/${repository}.git`,
        gitCloneDepth: 1,
        reportBuildStatus: false,
        auth: { type: "CODECONNECTIONS", resource: connectionArn },
    } as const;
}
