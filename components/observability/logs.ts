// The log pipeline: Loki (monolithic) on S3 buckets this stack makes, reached through a Pod Identity role scoped to
// those buckets, and Fluent Bit on every node shipping container logs to Loki or to a CloudWatch Logs group.
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityRole } from "../lib/iam";
import {
    fluentBitCloudWatchPolicy,
    lokiBucketName,
    lokiLifecycleRules,
    lokiS3Policy,
    tlsOnlyBucketPolicy,
    type LokiBucketPurpose,
} from "./policies";
import {
    CHART_REPOSITORIES,
    containerLogGroupName,
    fluentBitValues,
    lokiUrl,
    lokiValues,
    MONITORING_NAMESPACE,
    NAMES,
    type FluentBitOutput,
} from "./values";

/** What the log pipeline needs from the Observability component. */
export interface LogContext {
    name: string;
    parent: pulumi.Resource;
    k8sProvider: kubernetes.Provider;
    namespace: pulumi.Output<string>;
    clusterName: pulumi.Input<string>;
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    storageClassName: pulumi.Input<string>;
    /** Node groups and storage every release waits for. */
    nodeDependencies: pulumi.Resource[];
    storageDependencies: pulumi.Resource[];
    podIdentityAgent: pulumi.Resource;
    /** The kube-prometheus-stack release when it exists: its CRDs back the charts' ServiceMonitors. */
    monitoringRelease?: kubernetes.helm.v3.Release;
    grafanaEnabled: boolean;
    protect: boolean;
}

export interface LokiBucket {
    bucket: aws.s3.Bucket;
    purpose: LokiBucketPurpose;
}

/** An encrypted, private, owner-enforced, TLS-only bucket with a lifecycle from Loki's retention. */
function lokiBucket(ctx: LogContext, purpose: LokiBucketPurpose, retentionDays: number): LokiBucket {
    const name = `${ctx.name}-loki-${purpose}`;
    const opts = { parent: ctx.parent };
    const bucket = new aws.s3.Bucket(
        name,
        {
            bucket: pulumi
                .all([ctx.clusterName, ctx.accountId])
                .apply(([cluster, account]) => lokiBucketName(cluster, account, ctx.region, purpose)),
            // Outside prod the stack can be destroyed with its logs; in prod the bucket is protected instead.
            forceDestroy: !ctx.protect,
        },
        { ...opts, protect: ctx.protect },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
        opts,
    );
    new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        { bucket: bucket.id, rules: lokiLifecycleRules(purpose, retentionDays) },
        opts,
    );
    new aws.s3.BucketPolicy(
        `${name}-tls-only`,
        { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
        opts,
    );
    return { bucket, purpose };
}

export interface LokiParts {
    release: kubernetes.helm.v3.Release;
    buckets: LokiBucket[];
    role: aws.iam.Role;
    association: aws.eks.PodIdentityAssociation;
}

export function createLoki(
    ctx: LogContext,
    loki: { chartVersion: string; replicas: number; retentionDays: number; requests: { cpu: string; memory: string } },
): LokiParts {
    const buckets = (["chunks", "ruler"] as const).map((purpose) => lokiBucket(ctx, purpose, loki.retentionDays));
    const { role, association } = podIdentityRole(
        `${ctx.name}-loki`,
        {
            clusterName: ctx.clusterName,
            accountId: ctx.accountId,
            partition: ctx.partition,
            namespace: MONITORING_NAMESPACE,
            serviceAccount: NAMES.lokiServiceAccount,
            description: "Loki: read and write its chunk and ruler buckets",
            inlinePolicies: { s3: pulumi.all(buckets.map((b) => b.bucket.arn)).apply((arns) => JSON.stringify(lokiS3Policy(arns))) },
            dependsOn: [ctx.podIdentityAgent],
        },
        ctx.parent,
    );
    const [chunks, ruler] = buckets;
    if (!chunks || !ruler) throw new Error("createLoki: expected a chunks and a ruler bucket");
    const values = pulumi
        .all([chunks.bucket.bucket, ruler.bucket.bucket, ctx.storageClassName])
        .apply(([chunksName, rulerName, storageClassName]) =>
            lokiValues({
                region: ctx.region,
                buckets: { chunks: chunksName, ruler: rulerName },
                replicas: loki.replicas,
                retentionDays: loki.retentionDays,
                requests: loki.requests,
                storageClassName,
                selfMonitoring: ctx.monitoringRelease !== undefined,
                grafanaDashboards: ctx.grafanaEnabled,
            }),
        );
    const release = new kubernetes.helm.v3.Release(
        `${ctx.name}-loki`,
        {
            name: NAMES.lokiRelease,
            chart: CHART_REPOSITORIES.loki.chart,
            version: loki.chartVersion,
            repositoryOpts: { repo: CHART_REPOSITORIES.loki.repo },
            namespace: ctx.namespace,
            values,
            timeout: 600,
        },
        {
            parent: ctx.parent,
            provider: ctx.k8sProvider,
            // The pod must find its Pod Identity association at start, or it runs without S3 credentials.
            dependsOn: [
                ...ctx.nodeDependencies,
                ...ctx.storageDependencies,
                association,
                ...(ctx.monitoringRelease ? [ctx.monitoringRelease] : []),
            ],
        },
    );
    return { release, buckets, role, association };
}

export interface FluentBitParts {
    release: kubernetes.helm.v3.Release;
    logGroup?: aws.cloudwatch.LogGroup;
    role?: aws.iam.Role;
}

export function createFluentBit(
    ctx: LogContext,
    fluentBit: { chartVersion: string },
    target: { kind: "loki"; loki: LokiParts } | { kind: "cloudwatch"; retentionDays: number },
): FluentBitParts {
    let output: pulumi.Output<FluentBitOutput>;
    const waitFor: pulumi.Resource[] = [...ctx.nodeDependencies];
    let logGroup: aws.cloudwatch.LogGroup | undefined;
    let role: aws.iam.Role | undefined;
    if (target.kind === "loki") {
        output = pulumi.output<FluentBitOutput>({ kind: "loki", url: lokiUrl() });
        // Logs shipped before Loki is up are retried, but a first install waits for it rather than burning retries.
        waitFor.push(target.loki.release);
    } else {
        logGroup = new aws.cloudwatch.LogGroup(
            `${ctx.name}-container-logs`,
            { name: pulumi.output(ctx.clusterName).apply(containerLogGroupName), retentionInDays: target.retentionDays },
            { parent: ctx.parent, protect: ctx.protect },
        );
        const fluentBitRole = podIdentityRole(
            `${ctx.name}-fluent-bit`,
            {
                clusterName: ctx.clusterName,
                accountId: ctx.accountId,
                partition: ctx.partition,
                namespace: MONITORING_NAMESPACE,
                serviceAccount: NAMES.fluentBitServiceAccount,
                description: "Fluent Bit: write container logs to its CloudWatch Logs group",
                inlinePolicies: { logs: logGroup.arn.apply((arn) => JSON.stringify(fluentBitCloudWatchPolicy(arn))) },
                dependsOn: [ctx.podIdentityAgent],
            },
            ctx.parent,
        );
        role = fluentBitRole.role;
        waitFor.push(fluentBitRole.association);
        output = logGroup.name.apply((logGroupName): FluentBitOutput => ({ kind: "cloudwatch", region: ctx.region, logGroupName }));
    }
    if (ctx.monitoringRelease) waitFor.push(ctx.monitoringRelease);
    const serviceMonitor = ctx.monitoringRelease !== undefined;
    const release = new kubernetes.helm.v3.Release(
        `${ctx.name}-fluent-bit`,
        {
            name: NAMES.fluentBitRelease,
            chart: CHART_REPOSITORIES.fluentBit.chart,
            version: fluentBit.chartVersion,
            repositoryOpts: { repo: CHART_REPOSITORIES.fluentBit.repo },
            namespace: ctx.namespace,
            values: output.apply((o) => fluentBitValues(o, serviceMonitor)),
            timeout: 600,
        },
        { parent: ctx.parent, provider: ctx.k8sProvider, dependsOn: waitFor },
    );
    return { release, logGroup, role };
}
