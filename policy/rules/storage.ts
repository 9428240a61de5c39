// Data at rest: S3 buckets private and encrypted, the interruption queue encrypted, EBS-backed StorageClasses
// encrypted.
import {
    asBool,
    at,
    describe,
    isUnknown,
    ofTypes,
    resourceRule,
    stackRule,
    type EnforcementLevel,
    type PolicyResource,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
} from "./lib";

const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const SSE_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];

/** Resources of `types` whose `bucket` input comes from `bucket` (property dependency, else any dependency). */
function attachedTo(resources: readonly PolicyResource[], types: readonly string[], bucket: PolicyResource) {
    return ofTypes(resources, types).filter(({ resource }) => {
        const byProperty = resource.propertyDependencies?.bucket;
        const deps = byProperty && byProperty.length > 0 ? byProperty : resource.dependencies;
        return deps.some((d) => d.urn === bucket.urn);
    });
}

export const bucketPublicAccessBlocked = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "s3-bucket-public-access-blocked",
            description: describe(
                "Every S3 bucket has a public access block with all four settings true.",
                "CIS AWS Foundations Benchmark (S3 Block Public Access); AWS Foundational Security Best Practices S3.8",
            ),
            validate: (resources, _args, report) => {
                for (const { resource: bucket } of ofTypes(resources, BUCKET_TYPES)) {
                    const blocks = attachedTo(resources, [PUBLIC_ACCESS_BLOCK], bucket);
                    const keys = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
                    const full = blocks.some(({ props }) => keys.every((k) => asBool(props[k]) === true || asBool(props[k]) === "unknown"));
                    if (!full) report(`bucket ${bucket.name} has no public access block with ${keys.join(", ")} all true`, bucket.urn);
                }
            },
        },
        level,
    );

export const bucketEncrypted = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "s3-bucket-encrypted",
            description: describe(
                "Every S3 bucket declares default server-side encryption (its own configuration resource).",
                "CIS AWS Foundations Benchmark (S3 encryption at rest); EKS Best Practices Guide, Security (Data encryption)",
            ),
            validate: (resources, _args, report) => {
                for (const { resource: bucket, props } of ofTypes(resources, BUCKET_TYPES)) {
                    if (props.serverSideEncryptionConfiguration !== undefined) continue; // inline (deprecated) form
                    if (attachedTo(resources, SSE_TYPES, bucket).length === 0)
                        report(`bucket ${bucket.name} has no server-side encryption configuration`, bucket.urn);
                }
            },
        },
        level,
    );

export const queueEncrypted = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "sqs-queue-encrypted",
            description: describe(
                "SQS queues (Karpenter's interruption queue) are encrypted at rest: SQS-managed SSE or a KMS key.",
                "Karpenter getting-started CloudFormation (KarpenterInterruptionQueue SqsManagedSseEnabled: true); AWS Foundational Security Best Practices SQS.1",
            ),
            types: ["aws:sqs/queue:Queue"],
            validate: (props, _args, report) => {
                const managed = asBool(props.sqsManagedSseEnabled);
                const key = props.kmsMasterKeyId;
                if (managed === true || managed === "unknown" || (typeof key === "string" && key !== "")) return;
                report("the queue is not encrypted: set sqsManagedSseEnabled true or kmsMasterKeyId");
            },
        },
        level,
    );

export const storageClassEncrypted = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "storageclass-ebs-encrypted",
            description: describe(
                'StorageClasses provisioned by the EBS CSI driver create encrypted volumes (parameters.encrypted "true").',
                "EKS Best Practices Guide, Security (Data encryption): encrypt EBS volumes; aws-ebs-csi-driver docs, StorageClass parameters",
            ),
            types: ["kubernetes:storage.k8s.io/v1:StorageClass"],
            validate: (props, _args, report) => {
                if (props.provisioner !== "ebs.csi.aws.com") return;
                const encrypted = at(props, "parameters.encrypted");
                if (isUnknown(encrypted) || encrypted === "true") return;
                report(`StorageClass ${String(at(props, "metadata.name"))} does not set parameters.encrypted "true"`);
            },
        },
        level,
    );
