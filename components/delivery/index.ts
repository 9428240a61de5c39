// eks-platform:delivery:Delivery — what the stack's pipeline needs in the account: access entries for its deploy and
// preview roles, and (runner codebuild) the in-VPC CodeBuild-hosted GitHub Actions runner with its service role,
// security group, log group and webhook, and the cluster security group's rule that lets it reach the API endpoint.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runnerProjectName } from "../../lib/runners";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import { pipelineAccessSpecs } from "./access";
import {
    runnerEnvironment,
    runnerLogGroupName,
    runnerServicePolicy,
    runnerSource,
    runnerTrustPolicy,
    runnerWebhookFilterGroups,
    type RunnerScope,
} from "./runner";

export * from "./access";
export * from "./runner";

export interface DeliveryArgs {
    ctx: PlatformContext;
    config: PlatformConfig["delivery"];
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string>[];
    /**
     * Deleted with it, these entries are not deleted one by one: a destroy run by the deploy role must not lose its
     * own access before the Kubernetes objects are gone (EKS deletes a cluster's entries with the cluster).
     */
    cluster: pulumi.Resource;
}

export class Delivery extends pulumi.ComponentResource {
    /** The pipeline roles' access entries, by key (deploy, preview). */
    readonly accessEntries: Record<string, aws.eks.AccessEntry> = {};
    /** The runner's CodeBuild project (runner codebuild). */
    readonly runnerProject?: aws.codebuild.Project;
    readonly runnerSecurityGroupId?: pulumi.Output<string>;

    constructor(name: string, args: DeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:delivery:Delivery", name, {}, opts);
        const { ctx, config } = args;
        const parent = { parent: this };

        for (const spec of pipelineAccessSpecs(config, ctx.partition)) {
            const entry = new aws.eks.AccessEntry(
                `${name}-${spec.key}`,
                { clusterName: ctx.cluster.clusterName, principalArn: spec.principalArn, type: "STANDARD" },
                { ...parent, deletedWith: args.cluster },
            );
            new aws.eks.AccessPolicyAssociation(
                `${name}-${spec.key}`,
                {
                    clusterName: ctx.cluster.clusterName,
                    principalArn: entry.principalArn,
                    policyArn: spec.policyArn,
                    accessScope: spec.accessScope,
                },
                { ...parent, deletedWith: args.cluster },
            );
            this.accessEntries[spec.key] = entry;
        }

        const repository = config.repository;
        const connectionArn = config.codebuild.connectionArn;
        // The config rules require both with runner codebuild.
        if (config.runner !== "codebuild" || !repository || !connectionArn) {
            this.registerOutputs({});
            return;
        }
        const projectName = runnerProjectName(ctx.clusterName);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-runner`,
            { name: runnerLogGroupName(projectName), retentionInDays: config.codebuild.logRetentionDays },
            parent,
        );
        const scope = (accountId: string): RunnerScope => ({ partition: ctx.partition, region: ctx.region, accountId, projectName });
        const role = new aws.iam.Role(
            `${name}-runner`,
            {
                description: `CodeBuild-hosted GitHub Actions runner of ${ctx.clusterName}`,
                assumeRolePolicy: ctx.accountId.apply((account) => JSON.stringify(runnerTrustPolicy(scope(account)))),
            },
            parent,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-runner`,
            {
                role: role.name,
                policy: pulumi
                    .all([ctx.accountId, pulumi.all(args.privateSubnetIds)])
                    .apply(([account, subnets]) =>
                        JSON.stringify(runnerServicePolicy({ ...scope(account), privateSubnetIds: subnets, connectionArn })),
                    ),
            },
            parent,
        );
        // Outbound HTTPS only: GitHub, the npm registry, chart repositories, Pulumi Cloud and the AWS APIs (through the
        // NAT gateway), and the cluster's private endpoint.
        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-runner`,
            {
                vpcId: args.vpcId,
                description: `CodeBuild runner of ${ctx.clusterName}: outbound HTTPS only`,
                egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS" }],
                tags: { Name: projectName },
            },
            parent,
        );
        this.runnerSecurityGroupId = securityGroup.id;
        // The private endpoint's network interfaces carry the cluster security group, which admits only itself.
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-runner-to-api`,
            {
                securityGroupId: ctx.cluster.clusterSecurityGroupId,
                referencedSecurityGroupId: securityGroup.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "The pipeline's CodeBuild runner to the Kubernetes API",
            },
            parent,
        );
        this.runnerProject = new aws.codebuild.Project(
            `${name}-runner`,
            {
                name: projectName,
                description: `GitHub Actions runner of ${repository} for stack ${ctx.stack}, in the VPC of ${ctx.clusterName}`,
                serviceRole: role.arn,
                buildTimeout: config.codebuild.timeoutMinutes,
                artifacts: { type: "NO_ARTIFACTS" },
                environment: runnerEnvironment(config.codebuild),
                source: runnerSource(repository, connectionArn),
                vpcConfig: { vpcId: args.vpcId, subnets: args.privateSubnetIds, securityGroupIds: [securityGroup.id] },
                logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
            },
            { ...parent, dependsOn: [policy] },
        );
        new aws.codebuild.Webhook(
            `${name}-runner`,
            { projectName: this.runnerProject.name, buildType: "BUILD", filterGroups: runnerWebhookFilterGroups() },
            parent,
        );
        this.registerOutputs({ runnerProject: this.runnerProject.name });
    }
}
