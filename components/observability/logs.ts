// The log pipeline: Loki (monolithic) on S3 buckets this stack makes, reached through a Pod Identity role scoped to
// those buckets, and Fluent Bit on every node shipping container logs to Loki or to a CloudWatch Logs group.
import * as aws from "@pulumi/aws";
import type * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformContext } from "../lib/context";
import { platformRelease } from "../lib/helm";
import { podIdentityRole, type PodIdentityScope } from "../lib/iam";
import {
    fluentBitCloudWatchPolicy,
    lokiBucketName,
    lokiLifecycleRules,
    lokiS3Policy,
    tlsOnlyBucketPolicy,
    type LokiBucketPurpose,
} from "./policies";
import { containerLogGroupName, fluentBitValues, lokiValues, type FluentBitOutput } from "./log-values";
import { CHART_REPOSITORIES, lokiUrl, MONITORING_NAMESPACE, NAMES } from "./values";

/** What the log pipeline needs from the Observability component. */
export interface LogContext {
    name: string;
    parent: pulumi.Resource;
    ctx: PlatformContext;
    namespace: pulumi.Output<string>;
    /**
     * The prometheus-operator-crds release when metrics are on: the charts' ServiceMonitors and rules need its CRDs,
     * nothing else of kube-prometheus-stack, so the log releases wait for it alone and install beside it.
     */
    monitoringCrds?: kubernetes.helm.v3.Release;
    grafanaEnabled: boolean;
}

const identityScope = (ctx: PlatformContext): PodIdentityScope => ({
    clusterName: ctx.cluster.clusterName,
    accountId: ctx.accountId,
    partition: ctx.partition,
    podIdentityAgent: ctx.podIdentityAgent,
});

export interface LokiBucket {
    bucket: aws.s3.Bucket;
    purpose: LokiBucketPurpose;
}

/** An encrypted, private, owner-enforced, TLS-only bucket with a lifecycle from Loki's retention. */
function lokiBucket(logs: LogContext, purpose: LokiBucketPurpose, retentionDays: number): LokiBucket {
    const { ctx } = logs;
    const name = `${logs.name}-loki-${purpose}`;
    const opts = { parent: logs.parent };
    const bucket = new aws.s3.Bucket(
        name,
        {
            bucket: pulumi
                .all([ctx.cluster.clusterName, ctx.accountId])
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
    logs: LogContext,
    loki: { chartVersion: string; replicas: number; retentionDays: number; requests: { cpu: string; memory: string } },
): LokiParts {
    const { ctx } = logs;
    const buckets = (["chunks", "ruler"] as const).map((purpose) => lokiBucket(logs, purpose, loki.retentionDays));
    const { role, association } = podIdentityRole(
        `${logs.name}-loki`,
        identityScope(ctx),
        {
            namespace: MONITORING_NAMESPACE,
            serviceAccount: NAMES.lokiServiceAccount,
            description: "Loki: read and write its chunk and ruler buckets",
            inlinePolicies: { s3: pulumi.all(buckets.map((b) => b.bucket.arn)).apply((arns) => JSON.stringify(lokiS3Policy(arns))) },
        },
        logs.parent,
    );
    const [chunks, ruler] = buckets;
    if (!chunks || !ruler) throw new Error("createLoki: expected a chunks and a ruler bucket");
    const values = pulumi
        .all([chunks.bucket.bucket, ruler.bucket.bucket, ctx.defaultStorageClass.name])
        .apply(([chunksName, rulerName, storageClassName]) =>
            lokiValues({
                region: ctx.region,
                buckets: { chunks: chunksName, ruler: rulerName },
                replicas: loki.replicas,
                retentionDays: loki.retentionDays,
                requests: loki.requests,
                storageClassName,
                selfMonitoring: logs.monitoringCrds !== undefined,
                grafanaDashboards: logs.grafanaEnabled,
            }),
        );
    const release = platformRelease(
        `${logs.name}-loki`,
        ctx,
        {
            release: NAMES.lokiRelease,
            source: CHART_REPOSITORIES.loki,
            version: loki.chartVersion,
            namespace: logs.namespace,
            values,
            timeout: 600,
            // The pod must find its Pod Identity association at start, or it runs without S3 credentials; its
            // ServiceMonitor and PrometheusRule render whenever self-monitoring is on, so the CRDs come first.
            dependsOn: [ctx.defaultStorageClass.resource, association, ...(logs.monitoringCrds ? [logs.monitoringCrds] : [])],
        },
        logs.parent,
    );
    return { release, buckets, role, association };
}

export interface FluentBitParts {
    release: kubernetes.helm.v3.Release;
    logGroup?: aws.cloudwatch.LogGroup;
    role?: aws.iam.Role;
}

export function createFluentBit(
    logs: LogContext,
    fluentBit: { chartVersion: string },
    target: { kind: "loki"; loki: LokiParts } | { kind: "cloudwatch"; retentionDays: number },
): FluentBitParts {
    const { ctx } = logs;
    let output: pulumi.Output<FluentBitOutput>;
    const waitFor: pulumi.Resource[] = [];
    let logGroup: aws.cloudwatch.LogGroup | undefined;
    let role: aws.iam.Role | undefined;
    if (target.kind === "loki") {
        // Nothing of Loki is needed to install Fluent Bit: its output is an address, logs are buffered and retried
        // until Loki answers, and its readiness does not hang on the output (fluentBitValues). So both install at once.
        output = pulumi.output<FluentBitOutput>({ kind: "loki", url: lokiUrl() });
    } else {
        logGroup = new aws.cloudwatch.LogGroup(
            `${logs.name}-container-logs`,
            { name: ctx.cluster.clusterName.apply(containerLogGroupName), retentionInDays: target.retentionDays },
            { parent: logs.parent, protect: ctx.protect },
        );
        const fluentBitRole = podIdentityRole(
            `${logs.name}-fluent-bit`,
            identityScope(ctx),
            {
                namespace: MONITORING_NAMESPACE,
                serviceAccount: NAMES.fluentBitServiceAccount,
                description: "Fluent Bit: write container logs to its CloudWatch Logs group",
                inlinePolicies: { logs: logGroup.arn.apply((arn) => JSON.stringify(fluentBitCloudWatchPolicy(arn))) },
            },
            logs.parent,
        );
        role = fluentBitRole.role;
        waitFor.push(fluentBitRole.association);
        output = logGroup.name.apply((logGroupName): FluentBitOutput => ({ kind: "cloudwatch", region: ctx.region, logGroupName }));
    }
    // The chart renders its ServiceMonitor only when the API server serves monitoring.coreos.com/v1 at install time.
    if (logs.monitoringCrds) waitFor.push(logs.monitoringCrds);
    const serviceMonitor = logs.monitoringCrds !== undefined;
    const release = platformRelease(
        `${logs.name}-fluent-bit`,
        ctx,
        {
            release: NAMES.fluentBitRelease,
            source: CHART_REPOSITORIES.fluentBit,
            version: fluentBit.chartVersion,
            namespace: logs.namespace,
            values: output.apply((o) => fluentBitValues(o, serviceMonitor)),
            timeout: 600,
            dependsOn: waitFor,
        },
        logs.parent,
    );
    return { release, logGroup, role };
}
