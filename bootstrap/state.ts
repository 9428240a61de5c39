// The self-managed state backend: where Pulumi's DIY (S3) backend keeps a stack's objects, and the bucket's policy.
//
// Object layout, read from pulumi/pulumi v3.259.0 pkg/backend/diy (store.go, lock.go, meta.go, state.go, stack_tags.go),
// project-scoped layout (meta.yaml version 1, what a new bucket gets):
//   .pulumi/meta.yaml                                       read at login; written once when the bucket is empty
//   .pulumi/stacks/<project>/<stack>.json[.gz|.zst][.bak]   the checkpoint and its backup copy
//   .pulumi/stacks/<project>/<stack>.pulumi-tags            stack tags
//   .pulumi/history/<project>/<stack>/...                   one entry per update
//   .pulumi/backups/<project>/<stack>/...                   checkpoint backups
//   .pulumi/journal/<project>/<stack>/...                   incremental journal during an update
//   .pulumi/locks/organization/<project>/<stack>/<id>.json  taken by up, refresh, destroy, import, stack rm/rename
// `pulumi preview` (with or without --refresh) takes no lock and writes nothing (diyBackend.Preview ->
// backend.Preview -> apply with DryRun; no snapshot manager, no history, no backup), so the preview role only reads.
import type { PolicyDocument, PolicyStatement } from "../components/lib/iam";
import { PLATFORM_PROJECT } from "./names";

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
export const objectArn = (bucket: string, key: string): string => `arn:aws:s3:::${bucket}/${key}`;

export const META_KEY = ".pulumi/meta.yaml";

/** The backend URL for `pulumi login` / PULUMI_BACKEND_URL (gocloud s3blob URL; `region` saves a lookup). */
export const backendUrl = (bucket: string, region: string): string => `s3://${bucket}?region=${region}`;

/** The awskms:// URL for `pulumi stack init --secrets-provider` / `pulumi stack change-secrets-provider`. */
export const secretsProviderUrl = (alias: string, region: string): string => `awskms://${alias}?region=${region}`;

/** Objects a stack reads during a preview: its checkpoint (any compression), tags and history. */
export function stackReadObjects(bucket: string, stack: string, project: string = PLATFORM_PROJECT): string[] {
    return [
        objectArn(bucket, META_KEY),
        objectArn(bucket, `.pulumi/stacks/${project}/${stack}.json*`),
        objectArn(bucket, `.pulumi/stacks/${project}/${stack}.pulumi-tags`),
        objectArn(bucket, `.pulumi/history/${project}/${stack}/*`),
    ];
}

/** Objects a stack writes during up, refresh and destroy: the above (but meta.yaml) plus backups, journal and lock. */
export function stackWriteObjects(bucket: string, stack: string, project: string = PLATFORM_PROJECT): string[] {
    return [
        objectArn(bucket, `.pulumi/stacks/${project}/${stack}.json*`),
        objectArn(bucket, `.pulumi/stacks/${project}/${stack}.pulumi-tags`),
        objectArn(bucket, `.pulumi/history/${project}/${stack}/*`),
        objectArn(bucket, `.pulumi/backups/${project}/${stack}/*`),
        objectArn(bucket, `.pulumi/journal/${project}/${stack}/*`),
        objectArn(bucket, `.pulumi/locks/organization/${project}/${stack}/*`),
    ];
}

export interface StateAccess {
    bucket: string;
    region: string;
    /** The bucket's KMS key when encryption is aws:kms: reads need kms:Decrypt, writes kms:GenerateDataKey. */
    stateKeyArn?: string;
    /** The stack's awskms:// secrets key, when the bootstrap makes them. */
    secretsKeyArn?: string;
}

/**
 * What a stack's pipeline may do in the state backend: list the bucket (key names only), read the stack's own
 * objects, and with `write` also write and delete them. The state key only through S3 (kms:ViaService), the secrets
 * key directly (the Pulumi CLI calls KMS to unwrap the stack's data key; a deploy also wraps a new one).
 */
export function stateStatements(access: StateAccess, stack: string, write: boolean): PolicyStatement[] {
    const statements: PolicyStatement[] = [
        { Sid: "ListStateBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArn(access.bucket) },
        { Sid: "ReadStackState", Effect: "Allow", Action: "s3:GetObject", Resource: stackReadObjects(access.bucket, stack) },
    ];
    if (write)
        statements.push({
            Sid: "WriteStackState",
            Effect: "Allow",
            // PutObject covers multipart uploads of a large checkpoint (Create/UploadPart/Complete); CopyObject (the
            // .bak copy) needs GetObject on the source and PutObject on the target, both the stack's own.
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
            Resource: stackWriteObjects(access.bucket, stack),
        });
    if (access.stateKeyArn !== undefined)
        statements.push({
            Sid: "StateKeyThroughS3",
            Effect: "Allow",
            Action: write ? ["kms:Decrypt", "kms:GenerateDataKey"] : "kms:Decrypt",
            Resource: access.stateKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${access.region}.amazonaws.com` } },
        });
    if (access.secretsKeyArn !== undefined)
        statements.push({
            Sid: "StackSecretsKey",
            Effect: "Allow",
            Action: write ? ["kms:Decrypt", "kms:Encrypt", "kms:DescribeKey"] : ["kms:Decrypt", "kms:DescribeKey"],
            Resource: access.secretsKeyArn,
        });
    return statements;
}

/** The state bucket's own policy: TLS only (the policy pack's rule for every bucket of the platform, here too). */
export function stateBucketPolicy(bucket: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "s3:*",
                Resource: [bucketArn(bucket), objectArn(bucket, "*")],
                Condition: { Bool: { "aws:SecureTransport": false } },
            },
        ],
    };
}

/** Key policy of the bootstrap's KMS keys: the account (IAM policies) decides, as for AWS's default key policy. */
export function accountKeyPolicy(partition: string, accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EnableIamPolicies",
                Effect: "Allow",
                Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
        ],
    };
}
