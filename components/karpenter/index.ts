// Karpenter v1, wired end to end: the controller's Pod Identity role with upstream's policies, the node role and
// its EC2_LINUX access entry, the interruption queue and its EventBridge rules, the karpenter-crd and karpenter
// releases, and the stack's EC2NodeClasses and NodePools. Destroy order: NodePools -> EC2NodeClasses -> release
// (Karpenter drains and terminates its nodes while it still runs) -> CRDs, roles, queue.
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/config";
import type { PlatformContext } from "../lib/context";
import { platformRelease } from "../lib/helm";
import { podIdentityRole } from "../lib/iam";
import type { NodeSettingsInput } from "../lib/nodeadm";
import { CONTROLLER_POLICY_NAMES, controllerPolicies, NODE_MANAGED_POLICIES, nodeTrustPolicy } from "./iam";
import { eventPattern, INTERRUPTION_EVENTS, interruptionQueuePolicy, QUEUE_RETENTION_SECONDS } from "./interruption";
import type { MetricsEndpoint } from "../lib/contracts";
import { ec2NodeClassObject, NODECLASS_API_VERSION, NODEPOOL_API_VERSION, nodePoolObject, platformNodePool } from "./nodepools";
import { KARPENTER_CHART, KARPENTER_CRD_CHART, karpenterMetrics, karpenterValues } from "./values";

export * from "./iam";
export * from "./interruption";
export * from "./nodepools";
export * from "./values";

export interface KarpenterArgs {
    /** The platform context: the cluster's name, endpoint and security group, the system nodes the controller runs on. */
    ctx: PlatformContext;
    /** The stack's Karpenter settings (eks-platform:karpenter). */
    config: PlatformConfig["karpenter"];
    /** containerd/kubelet settings of the system nodes (eks-platform:cluster.nodeSettings), shared by every EC2NodeClass. */
    nodeSettings: NodeSettingsInput;
    /** Max pods derived from the CNI mode (e.g. 110 with prefix delegation); an EC2NodeClass's own setting wins. */
    maxPods?: number;
}

export class Karpenter extends pulumi.ComponentResource {
    readonly controllerRole: aws.iam.Role;
    readonly nodeRole: aws.iam.Role;
    readonly nodeAccessEntry: aws.eks.AccessEntry;
    readonly interruptionQueue: aws.sqs.Queue;
    readonly crdRelease: kubernetes.helm.v3.Release;
    readonly release: kubernetes.helm.v3.Release;
    readonly nodeClasses: kubernetes.apiextensions.CustomResource[];
    readonly nodePools: kubernetes.apiextensions.CustomResource[];
    /** Names of every NodePool applied (including derived spot overflow pools and the platform pool). */
    readonly nodePoolNames: string[];
    /** Where the controller's metrics are (the chart's Service), for the Observability component's scrape config. */
    readonly metrics: MetricsEndpoint;
    /** Namespaces in which the karpenter release creates Services (its metrics and webhook Service). */
    readonly serviceNamespaces: string[];

    constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:karpenter:Karpenter", name, {}, opts);
        const { config, ctx } = args;
        const clusterName = ctx.cluster.clusterName;
        const k8s = { parent: this, provider: ctx.k8sProvider };

        // --- node identity: upstream's KarpenterNodeRole; Karpenter v1 makes the instance profile from spec.role.
        this.nodeRole = new aws.iam.Role(
            `${name}-node`,
            {
                description: pulumi.interpolate`Nodes launched by Karpenter in EKS cluster ${clusterName}`,
                assumeRolePolicy: JSON.stringify(nodeTrustPolicy(ctx.dnsSuffix)),
            },
            { parent: this },
        );
        const nodePolicyAttachments = NODE_MANAGED_POLICIES.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-node-${policy}`,
                    { role: this.nodeRole.name, policyArn: `arn:${ctx.partition}:iam::aws:policy/${policy}` },
                    { parent: this },
                ),
        );
        this.nodeAccessEntry = new aws.eks.AccessEntry(
            `${name}-node`,
            // EC2_LINUX entries put the role in system:bootstrappers and system:nodes; they take no access policy.
            { clusterName, principalArn: this.nodeRole.arn, type: "EC2_LINUX" },
            { parent: this },
        );

        // --- interruption handling: the queue is named after the cluster, as upstream names it.
        this.interruptionQueue = new aws.sqs.Queue(
            `${name}-interruption`,
            { name: clusterName, messageRetentionSeconds: QUEUE_RETENTION_SECONDS, sqsManagedSseEnabled: true },
            { parent: this },
        );
        const queuePolicy = new aws.sqs.QueuePolicy(
            `${name}-interruption`,
            {
                queueUrl: this.interruptionQueue.url,
                policy: this.interruptionQueue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))),
            },
            { parent: this },
        );
        for (const event of INTERRUPTION_EVENTS) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${event.name}`,
                { description: `Karpenter interruption handling: ${event.detailType}`, eventPattern: JSON.stringify(eventPattern(event)) },
                { parent: this },
            );
            new aws.cloudwatch.EventTarget(
                `${name}-${event.name}`,
                { rule: rule.name, targetId: "KarpenterInterruptionQueueTarget", arn: this.interruptionQueue.arn },
                { parent: this, dependsOn: [queuePolicy] },
            );
        }

        // --- controller identity: a Pod Identity role carrying upstream's six policies, scoped as upstream scopes them.
        const { role: controllerRole, association } = podIdentityRole(
            `${name}-controller`,
            { clusterName, accountId: ctx.accountId, partition: ctx.partition, podIdentityAgent: ctx.podIdentityAgent },
            {
                namespace: config.namespace,
                serviceAccount: config.serviceAccount,
                description: `Karpenter controller (${config.namespace}/${config.serviceAccount}), chart ${config.chartVersion}`,
            },
            this,
        );
        this.controllerRole = controllerRole;
        const documents = pulumi
            .all([ctx.accountId, clusterName, this.nodeRole.arn, this.interruptionQueue.arn])
            .apply(([accountId, cluster, nodeRoleArn, queueArn]) =>
                controllerPolicies({
                    partition: ctx.partition,
                    region: ctx.region,
                    accountId,
                    clusterName: cluster,
                    nodeRoleArn,
                    queueArn,
                }),
            );
        const controllerAttachments = CONTROLLER_POLICY_NAMES.map((policyName) => {
            const policy = new aws.iam.Policy(
                `${name}-${policyName}`,
                {
                    description: pulumi.interpolate`Karpenter controller ${policyName} (upstream KarpenterController${policyName}) for ${clusterName}`,
                    policy: documents.apply((d) => JSON.stringify(d[policyName])),
                },
                { parent: this },
            );
            return new aws.iam.RolePolicyAttachment(
                `${name}-${policyName}`,
                { role: controllerRole.name, policyArn: policy.arn },
                { parent: this },
            );
        });

        // --- charts: CRDs in their own release so a controller upgrade never deletes them.
        this.crdRelease = platformRelease(
            `${name}-crd`,
            ctx,
            { release: "karpenter-crd", source: { chart: KARPENTER_CRD_CHART }, version: config.chartVersion, namespace: config.namespace },
            this,
        );
        const values = pulumi
            .all([clusterName, ctx.cluster.endpoint, this.interruptionQueue.name])
            .apply(([cluster, endpoint, queueName]) =>
                karpenterValues({
                    clusterName: cluster,
                    clusterEndpoint: endpoint,
                    interruptionQueueName: queueName,
                    serviceAccount: config.serviceAccount,
                    replicas: config.replicas,
                    resources: config.controllerResources,
                    system: ctx.system,
                }),
            );
        this.release = platformRelease(
            name,
            ctx,
            {
                release: "karpenter",
                source: { chart: KARPENTER_CHART },
                version: config.chartVersion,
                namespace: config.namespace,
                // The CRDs belong to the karpenter-crd release.
                skipCrds: true,
                values,
                dependsOn: [this.crdRelease, association, ...controllerAttachments, queuePolicy],
            },
            this,
        );

        // --- EC2NodeClasses and NodePools: they depend on the release, so a destroy removes them while Karpenter runs.
        const classContext = pulumi
            .all([clusterName, ctx.cluster.clusterSecurityGroupId, this.nodeRole.name])
            .apply(([cluster, securityGroupId, nodeRoleName]) => ({
                clusterName: cluster,
                clusterSecurityGroupId: securityGroupId,
                nodeRoleName,
            }));
        const classByName = new Map<string, kubernetes.apiextensions.CustomResource>();
        this.nodeClasses = config.nodeClasses.map((nodeClass) => {
            const object = classContext.apply((ctx) =>
                ec2NodeClassObject(nodeClass, {
                    ...ctx,
                    amiAlias: config.amiAlias,
                    nodeSettings: args.nodeSettings,
                    maxPods: args.maxPods,
                }),
            );
            const resource = new kubernetes.apiextensions.CustomResource(
                `${name}-nodeclass-${nodeClass.name}`,
                // apiVersion and kind make the type token: they must be plain strings.
                { apiVersion: NODECLASS_API_VERSION, kind: "EC2NodeClass", metadata: object.metadata, spec: object.spec },
                // The nodes' access entry and role policies outlive the nodes: a destroy removes the classes first.
                { ...k8s, dependsOn: [this.release, this.nodeAccessEntry, ...nodePolicyAttachments] },
            );
            classByName.set(nodeClass.name, resource);
            return resource;
        });
        // The stack's pools, then the platform's own (every stack has one, whatever its tenant pools offer).
        const pools = [...config.effectiveNodePools, platformNodePool(config.platformNodePool)];
        this.nodePoolNames = pools.map((p) => p.name);
        this.nodePools = pools.map((pool) => {
            const object = nodePoolObject(pool);
            const nodeClass = classByName.get(pool.nodeClass);
            return new kubernetes.apiextensions.CustomResource(
                `${name}-nodepool-${pool.name}`,
                { apiVersion: NODEPOOL_API_VERSION, kind: "NodePool", metadata: object.metadata, spec: object.spec },
                { ...k8s, dependsOn: [this.release, ...(nodeClass ? [nodeClass] : [])] },
            );
        });

        this.metrics = karpenterMetrics(config.namespace);
        this.serviceNamespaces = [config.namespace];

        this.registerOutputs({
            controllerRoleArn: this.controllerRole.arn,
            nodeRoleArn: this.nodeRole.arn,
            nodeRoleName: this.nodeRole.name,
            interruptionQueueName: this.interruptionQueue.name,
            interruptionQueueArn: this.interruptionQueue.arn,
            nodePoolNames: this.nodePoolNames,
        });
    }
}
