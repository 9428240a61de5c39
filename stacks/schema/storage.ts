// The eks-platform:storage section: shared file storage on Amazon EFS (one encrypted file system per stack, its mount
// targets, the EFS CSI driver add-on and a StorageClass with dynamic access points). Block storage (the default gp3
// class) belongs to the cluster and is always there.
import { z } from "zod";
import { dnsLabel, type DeepPartial, type Environment } from "./common";
import { defineRule, problems, writtenFields, type Rule, type Written } from "./rule";

export const EFS_THROUGHPUT_MODES = ["elastic", "bursting"] as const;
export const RECLAIM_POLICIES = ["Delete", "Retain"] as const;

export const storageSchema = z
    .strictObject({
        efs: z
            .strictObject({
                enabled: z
                    .boolean()
                    .describe(
                        "Make the stack's EFS file system: encrypted, a mount target in every private subnet, a security group open to the nodes only (NFS from the cluster security group); protected where the cluster is.",
                    ),
                csiDriver: z
                    .boolean()
                    .describe(
                        "Install the aws-efs-csi-driver EKS add-on (version eks-platform:cluster.addons.efsCsiDriver) with its Pod Identity role (AmazonEFSCSIDriverPolicy).",
                    ),
                throughputMode: z
                    .enum(EFS_THROUGHPUT_MODES, { message: `must be one of ${EFS_THROUGHPUT_MODES.join(", ")}` })
                    .describe("elastic (pay per use, scales with demand) or bursting (credits, grows with the data stored)."),
                backup: z.boolean().describe("AWS Backup's daily backups of the file system (its automatic backup policy)."),
                storageClass: z
                    .strictObject({
                        enabled: z
                            .boolean()
                            .describe("Make the StorageClass (efs.csi.aws.com, dynamic provisioning: one access point per volume)."),
                        name: dnsLabel.describe("The StorageClass's name (claims name it; it is never the default class)."),
                        reclaimPolicy: z
                            .enum(RECLAIM_POLICIES, { message: "must be Delete or Retain" })
                            .describe(
                                "Delete: a released volume's access point is deleted (its directory and data stay on the file system: the driver's deleteAccessPointRootDir is false in its chart); Retain: the volume and its access point stay for an administrator.",
                            ),
                        directoryPerms: z
                            .string()
                            .regex(/^[0-7]{3,4}$/, 'must be octal permissions such as "700" (quoted in YAML)')
                            .describe("Permissions of each access point's root directory, octal (the driver's directoryPerms)."),
                        basePath: z
                            .string()
                            .regex(/^(\/[A-Za-z0-9._-]+)+$/, "must be an absolute path such as /dynamic")
                            .describe("The directory access points are created under (the driver's basePath)."),
                    })
                    .describe("The EFS StorageClass."),
            })
            .describe("Amazon EFS: the file system, the CSI driver add-on and the StorageClass."),
    })
    .describe("Shared file storage (EFS).");
export type StorageConfig = z.infer<typeof storageSchema>;

const storageClass = { name: "efs", directoryPerms: "700", basePath: "/dynamic" } as const;

export const storageDefaults: Record<Environment, DeepPartial<z.input<typeof storageSchema>>> = {
    dev: {
        efs: {
            enabled: true,
            csiDriver: true,
            throughputMode: "elastic",
            backup: false,
            storageClass: { enabled: true, reclaimPolicy: "Delete", ...storageClass },
        },
    },
    staging: {
        efs: {
            enabled: true,
            csiDriver: true,
            throughputMode: "elastic",
            backup: false,
            storageClass: { enabled: true, reclaimPolicy: "Delete", ...storageClass },
        },
    },
    // prod keeps released volumes for an administrator and backs the file system up.
    prod: {
        efs: {
            enabled: true,
            csiDriver: true,
            throughputMode: "elastic",
            backup: true,
            storageClass: { enabled: true, reclaimPolicy: "Retain", ...storageClass },
        },
    },
};

const at = (...path: (string | number)[]) => ["eks-platform:storage", ...path];
const KEY = "eks-platform:storage";

export const storageRules: readonly Rule<{ storage: StorageConfig; written: Written }>[] = [
    defineRule({
        needs: ["storage.efs"],
        summary:
            "the EFS StorageClass needs the EFS CSI driver (efs.csiDriver); nothing under efs but enabled is written while efs.enabled is false",
        reports: ["eks-platform:storage.efs.storageClass.enabled", "eks-platform:storage.efs"],
        check: ({ storage, written }) => {
            const p = problems();
            const efs = storage.efs;
            if (efs.enabled && efs.storageClass.enabled && !efs.csiDriver)
                p.add(
                    at("efs", "storageClass", "enabled"),
                    "needs the EFS CSI driver (eks-platform:storage.efs.csiDriver: true): the class's provisioner efs.csi.aws.com would not exist, so every claim naming it would stay Pending",
                );
            if (!efs.enabled)
                for (const field of writtenFields(written, KEY, "efs").filter((f) => f !== "enabled"))
                    p.add(
                        at("efs", field),
                        "has no effect while efs.enabled is false: no file system, driver or class is made; remove it (kept for a later switch it would take effect unreviewed)",
                    );
            return p.list;
        },
    }),
];
