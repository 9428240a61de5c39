// IAM documents, bucket names and bucket rules for the log pipeline: pure, so tests check them without the runtime
// and the rendered JSON lands in the plan as it would be sent to AWS.
import { policyDocument, type PolicyDocument } from "../lib/iam";

export type LokiBucketPurpose = "chunks" | "ruler";

/**
 * A globally unique, deterministic S3 bucket name: <cluster>-<account>-<region>-loki-<purpose>, with the cluster
 * name shortened when the whole would pass S3's 63 characters.
 */
export function lokiBucketName(clusterName: string, accountId: string, region: string, purpose: LokiBucketPurpose): string {
    if (!/^\d{12}$/.test(accountId)) throw new Error(`lokiBucketName: accountId must be 12 digits, got ${accountId}`);
    const suffix = `-${accountId}-${region}-loki-${purpose}`;
    const cluster = clusterName
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .slice(0, 63 - suffix.length)
        .replace(/-+$/, "");
    if (cluster === "") throw new Error(`lokiBucketName: no room for the cluster name in a bucket name for ${region}`);
    return `${cluster}${suffix}`;
}

/** Loki's access: list the buckets, read, write and delete objects in them (the compactor deletes); nothing else. */
export function lokiS3Policy(bucketArns: readonly string[]): PolicyDocument {
    if (bucketArns.length === 0) throw new Error("lokiS3Policy: no bucket ARNs");
    return policyDocument(
        { Sid: "ListLokiBuckets", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: [...bucketArns] },
        {
            Sid: "ReadWriteLokiObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: bucketArns.map((a) => `${a}/*`),
        },
    );
}

/** A bucket policy refusing every request that does not use TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
    return policyDocument({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
}

export interface LifecycleRule {
    id: string;
    status: "Enabled";
    filter: Record<string, never>;
    expiration?: { days: number };
    abortIncompleteMultipartUpload: { daysAfterInitiation: number };
}

/**
 * Lifecycle rules of a Loki bucket. Chunks expire a day after Loki's own retention (its compactor deletes them
 * first and keeps the index consistent; the lifecycle is a backstop against orphans). Ruler objects are the alert
 * rules themselves: never expired.
 */
export function lokiLifecycleRules(purpose: LokiBucketPurpose, retentionDays: number): LifecycleRule[] {
    const abort = { abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } };
    if (purpose === "ruler") return [{ id: "abort-incomplete-uploads", status: "Enabled", filter: {}, ...abort }];
    return [{ id: "expire-after-retention", status: "Enabled", filter: {}, expiration: { days: retentionDays + 1 }, ...abort }];
}

/** Fluent Bit's access when it ships to CloudWatch Logs: create streams and put events in its one log group. */
export function fluentBitCloudWatchPolicy(logGroupArn: string): PolicyDocument {
    const group = logGroupArn.replace(/:\*$/, "");
    return policyDocument(
        { Sid: "DescribeStreams", Effect: "Allow", Action: ["logs:DescribeLogStreams"], Resource: [group, `${group}:*`] },
        {
            Sid: "WriteStreams",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`${group}:log-stream:*`],
        },
    );
}
