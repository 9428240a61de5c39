// What a deletion (or the delete half of a replacement) destroys beyond the resource itself: the data of buckets,
// log groups, keys, volumes and file systems. Per type, a reason, or none when nothing is lost (retainOnDelete keeps
// the cloud resource; a StatefulSet's claims outlive it by default).
import type { PlannedResource } from "./types";

export interface DataAtRisk {
    /** Data is destroyed with the resource. */
    loss?: string;
    /** Data survives but is left behind or unreachable. */
    note?: string;
}

const truthy = (v: unknown) => v === true || v === "true";

// Values of a Helm release that ask for persistent volumes (charts name them differently; these are the shapes the
// program's charts use: kube-prometheus-stack storageSpec.volumeClaimTemplate, loki/grafana persistence.enabled).
function releaseClaimsVolumes(values: unknown): boolean {
    const text = typeof values === "string" ? values : JSON.stringify(values ?? {});
    return /"volumeClaimTemplate"\s*:/.test(text) || /"persistence"\s*:\s*\{[^{}]*"enabled"\s*:\s*true/.test(text);
}

const STATEFUL: Readonly<Record<string, (r: PlannedResource, plan: readonly PlannedResource[]) => DataAtRisk>> = {
    // Sources: terraform-provider-aws s3/bucket.go delete (force_destroy empties the bucket first, else S3 answers
    // BucketNotEmpty), logs/group.go (DeleteLogGroup, unless skipDestroy), kms/key.go (ScheduleKeyDeletion after
    // deletion_window_in_days).
    "aws:s3/bucket:Bucket": (r) =>
        truthy(r.inputs.forceDestroy)
            ? { loss: "forceDestroy: true deletes every object in the bucket with it" }
            : {
                  loss: "its objects go with it: S3 refuses to delete a bucket that still holds objects (BucketNotEmpty), so the delete fails until it is emptied",
              },
    "aws:s3/bucketV2:BucketV2": (r, plan) => STATEFUL["aws:s3/bucket:Bucket"]?.(r, plan) ?? {},
    "aws:cloudwatch/logGroup:LogGroup": (r) =>
        truthy(r.inputs.skipDestroy)
            ? { note: "skipDestroy keeps the log group in AWS" }
            : { loss: `its log events are deleted (${String(r.inputs.name ?? r.name)})` },
    "aws:kms/key:Key": (r) => ({
        loss: `scheduled for deletion after ${String(r.inputs.deletionWindowInDays ?? 30)} days; then whatever it encrypted can no longer be decrypted`,
    }),
    "aws:ebs/volume:Volume": () => ({ loss: "the EBS volume and its data are deleted" }),
    "aws:efs/fileSystem:FileSystem": () => ({ loss: "the EFS file system and its data are deleted" }),
    "aws:rds/instance:Instance": (r) =>
        truthy(r.inputs.skipFinalSnapshot) ? { loss: "deleted without a final snapshot" } : { note: "a final snapshot is taken" },
    "aws:dynamodb/table:Table": () => ({ loss: "the table and its items are deleted" }),
    "kubernetes:core/v1:PersistentVolumeClaim": () => ({
        loss: "its volume is deleted with it when the StorageClass's reclaimPolicy is Delete",
    }),
    "kubernetes:core/v1:Namespace": (r, plan) => {
        const name = (r.inputs.metadata as Record<string, unknown> | undefined)?.name;
        const holders = plan.filter(
            (o) => o.type === "kubernetes:helm.sh/v3:Release" && o.inputs.namespace === name && releaseClaimsVolumes(o.inputs.values),
        );
        return holders.length > 0
            ? {
                  loss: `Kubernetes deletes everything in it, the PersistentVolumeClaims of ${holders.map((h) => h.name).join(", ")} included (their volumes go with them under reclaimPolicy Delete)`,
              }
            : { note: "Kubernetes deletes everything in the namespace" };
    },
    // Kubernetes keeps a StatefulSet's claims unless persistentVolumeClaimRetentionPolicy.whenDeleted is Delete
    // (Kubernetes docs, StatefulSets > PersistentVolumeClaim retention).
    "kubernetes:apps/v1:StatefulSet": (r) => {
        const spec = (r.inputs.spec ?? {}) as Record<string, unknown>;
        if (!Array.isArray(spec.volumeClaimTemplates) || spec.volumeClaimTemplates.length === 0) return {};
        const policy = (spec.persistentVolumeClaimRetentionPolicy ?? {}) as Record<string, unknown>;
        return policy.whenDeleted === "Delete"
            ? { loss: "persistentVolumeClaimRetentionPolicy.whenDeleted: Delete deletes its claims and their volumes" }
            : { note: "its PersistentVolumeClaims stay behind (whenDeleted: Retain) with their data, unused" };
    },
    "kubernetes:helm.sh/v3:Release": (r) =>
        releaseClaimsVolumes(r.inputs.values)
            ? {
                  note: "the PersistentVolumeClaims its StatefulSets made stay behind with their data (Helm does not delete them); delete them by hand once unneeded",
              }
            : {},
};

/**
 * What deleting this resource destroys or leaves behind; empty when it holds no data or the cloud keeps it. `plan` is
 * the plan the resource belongs to (what a namespace holds).
 */
export function dataAtRisk(resource: PlannedResource, plan: readonly PlannedResource[]): DataAtRisk {
    if (resource.retainOnDelete) return { note: "retainOnDelete: the resource stays in the cloud, only Pulumi forgets it" };
    return STATEFUL[resource.type]?.(resource, plan) ?? {};
}
