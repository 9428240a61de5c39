// eks-platform:fargate:Fargate — Fargate profiles by namespace and what Fargate pods need instead of what the EC2
// nodes give them: a pod execution role (trusted for this cluster's profiles only), the private subnets, logs through
// Fargate's built-in Fluent Bit router (Fluent Bit here is a DaemonSet, and DaemonSets do not run on Fargate), and
// IAM roles through IRSA (the Pod Identity agent is a DaemonSet too; EKS user guide, service-accounts.adoc:
// "pods that run on AWS Fargate aren't supported").
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import { irsaRole } from "../lib/irsa";
import {
    awsLoggingData,
    FARGATE_LOGGING_CONFIGMAP,
    FARGATE_POD_EXECUTION_POLICY,
    fargateLogGroupName,
    fargateLoggingNamespace,
    fargateLoggingPolicy,
    fargateNamespace,
    fargateSelectors,
    podExecutionTrustPolicy,
} from "./spec";

export * from "./spec";

export interface FargateArgs {
    ctx: PlatformContext;
    config: PlatformConfig["fargate"];
    privateSubnetIds: pulumi.Input<string>[];
    /** Namespaces other components create (the teams'): profiles select them, this component does not make them. */
    namespacesMadeElsewhere: readonly string[];
    /** Those namespaces' resources: the service accounts in them wait for them. */
    dependsOn?: pulumi.Resource[];
}

export class Fargate extends pulumi.ComponentResource {
    readonly podExecutionRoleArn: pulumi.Output<string>;
    readonly profiles: aws.eks.FargateProfile[] = [];
    readonly logGroupName?: pulumi.Output<string>;
    /** The IRSA role of each service account, by namespace/name. */
    readonly serviceAccountRoles: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: FargateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:fargate:Fargate", name, {}, opts);
        const { ctx, config } = args;
        const parent = { parent: this };
        const k8s = { parent: this, provider: ctx.k8sProvider };

        const role = new aws.iam.Role(
            `${name}-pod-execution`,
            {
                description: `Fargate pod execution role of ${ctx.clusterName}`,
                assumeRolePolicy: ctx.accountId.apply((accountId) =>
                    JSON.stringify(
                        podExecutionTrustPolicy({ partition: ctx.partition, region: ctx.region, accountId, clusterName: ctx.clusterName }),
                    ),
                ),
            },
            parent,
        );
        const rolePolicies: pulumi.Resource[] = [
            new aws.iam.RolePolicyAttachment(
                `${name}-pod-execution-${FARGATE_POD_EXECUTION_POLICY}`,
                { role: role.name, policyArn: `arn:${ctx.partition}:iam::aws:policy/${FARGATE_POD_EXECUTION_POLICY}` },
                parent,
            ),
        ];
        this.podExecutionRoleArn = role.arn;

        // The router reads its ConfigMap when a pod starts: it exists before any profile can place a pod.
        const before: pulumi.Resource[] = [...rolePolicies];
        if (config.logging.enabled) {
            const logGroup = new aws.cloudwatch.LogGroup(
                `${name}-logs`,
                { name: fargateLogGroupName(ctx.clusterName), retentionInDays: config.logging.retentionDays },
                parent,
            );
            this.logGroupName = logGroup.name;
            before.push(
                new aws.iam.RolePolicy(
                    `${name}-pod-execution-logs`,
                    { role: role.name, policy: logGroup.arn.apply((arn) => JSON.stringify(fargateLoggingPolicy(arn))) },
                    parent,
                ),
            );
            const namespace = new kubernetes.core.v1.Namespace(`${name}-aws-observability`, fargateLoggingNamespace(), k8s);
            before.push(
                new kubernetes.core.v1.ConfigMap(
                    `${name}-aws-logging`,
                    {
                        metadata: { name: FARGATE_LOGGING_CONFIGMAP, namespace: namespace.metadata.name },
                        data: logGroup.name.apply((group) => awsLoggingData(ctx.region, group)),
                    },
                    k8s,
                ),
            );
        }

        const made = new Map<string, kubernetes.core.v1.Namespace>();
        for (const namespace of new Set(config.profiles.flatMap((p) => p.namespaces))) {
            if (args.namespacesMadeElsewhere.includes(namespace)) continue;
            made.set(namespace, new kubernetes.core.v1.Namespace(`${name}-namespace-${namespace}`, fargateNamespace(namespace), k8s));
        }

        // EKS creates one Fargate profile at a time per cluster (a second CreateFargateProfile while one is being
        // created or deleted fails with ResourceInUseException): each profile waits for the one before.
        let previous: pulumi.Resource | undefined;
        for (const profile of config.profiles) {
            const created: aws.eks.FargateProfile = new aws.eks.FargateProfile(
                `${name}-${profile.name}`,
                {
                    clusterName: ctx.cluster.clusterName,
                    fargateProfileName: profile.name,
                    podExecutionRoleArn: role.arn,
                    subnetIds: args.privateSubnetIds,
                    selectors: fargateSelectors(profile),
                },
                { parent: this, dependsOn: [...before, ...(previous ? [previous] : [])] },
            );
            this.profiles.push(created);
            previous = created;
        }

        const scope = { oidcProviderArn: ctx.cluster.oidcProviderArn, oidcIssuer: ctx.cluster.oidcIssuer, partition: ctx.partition };
        for (const profile of config.profiles) {
            for (const sa of profile.serviceAccounts ?? []) {
                const key = `${sa.namespace}/${sa.name}`;
                const irsa = irsaRole(
                    `${name}-${sa.namespace}-${sa.name}`,
                    scope,
                    {
                        namespace: sa.namespace,
                        serviceAccount: sa.name,
                        description: `IRSA role of ${key} on Fargate (${ctx.clusterName})`,
                        managedPolicies: [...sa.managedPolicies],
                    },
                    this,
                );
                const namespace = made.get(sa.namespace);
                new kubernetes.core.v1.ServiceAccount(
                    `${name}-${sa.namespace}-${sa.name}`,
                    { metadata: { name: sa.name, namespace: sa.namespace, annotations: irsa.serviceAccountAnnotations } },
                    { ...k8s, dependsOn: [...(namespace ? [namespace] : (args.dependsOn ?? [])), ...irsa.policies] },
                );
                this.serviceAccountRoles[key] = irsa.role.arn;
            }
        }
        this.registerOutputs({ podExecutionRoleArn: this.podExecutionRoleArn, logGroupName: this.logGroupName });
    }
}
