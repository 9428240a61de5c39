// Stateful resources carry `protect` where the environment asks for it (prod): deleting them needs an explicit
// unprotect first, so a bad refactor or `pulumi destroy` cannot take the cluster, its key or its buckets.
import { describe, resourceRule, type EnforcementLevel, type ResourceValidationPolicy } from "./lib";

export const PROTECTED_TYPES = [
    "eks:index:Cluster",
    "aws:eks/cluster:Cluster",
    "aws:kms/key:Key",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
] as const;

export const protectStateful = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "protect-stateful-resources",
            description: describe(
                "The EKS cluster, KMS keys and S3 buckets (logs, state) are declared with protect (enforced in prod; off in dev).",
                "EKS Best Practices Guide, Reliability / Cluster upgrades: guard against accidental cluster deletion; Pulumi docs, resource option protect",
            ),
            types: PROTECTED_TYPES,
            validate: (_props, args, report) => {
                if (!args.opts.protect) report(`${args.type} ${args.name} is not protected`);
            },
        },
        level,
    );
