// Stateful resources carry `protect` where the environment asks for it (prod): deleting them needs an explicit
// unprotect first, so a bad refactor or `pulumi destroy` cannot take the cluster, its key or its buckets. The control
// plane is judged once: on the aws:eks/cluster:Cluster child (it inherits the remote component's protect), else on
// the component.
import { CLUSTER_PAIR, describe, judgedOnce, ofTypes, stackRule, type EnforcementLevel, type StackValidationPolicy } from "./lib";

/** Stateful resources judged on their own (the control plane is judged through CLUSTER_PAIR). */
export const PROTECTED_TYPES = [
    "aws:kms/key:Key",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:efs/fileSystem:FileSystem",
] as const;

export const protectStateful = (level: EnforcementLevel): StackValidationPolicy =>
    stackRule(
        {
            name: "protect-stateful-resources",
            description: describe(
                "The EKS cluster, KMS keys, S3 buckets (logs, state) and EFS file systems are declared with protect (enforced in prod; off in dev).",
                "EKS Best Practices Guide, Reliability / Cluster upgrades: guard against accidental cluster deletion; Pulumi docs, resource option protect",
            ),
            validate: (resources, _args, report) => {
                const judged = [...judgedOnce(resources, CLUSTER_PAIR), ...ofTypes(resources, PROTECTED_TYPES)];
                for (const { resource } of judged)
                    if (!resource.opts.protect) report(`${resource.type} ${resource.name} is not protected`, resource.urn);
            },
        },
        level,
    );
