// Pure parts of the EFS storage: the security group's one rule, the mount targets' layout and the StorageClass.
// Plain values in, plain objects out (tests/storage).
import type { PlatformConfig } from "../../stacks/config";

export type EfsSettings = PlatformConfig["storage"]["efs"];

/** NFS: the only port an EFS mount target answers on (Amazon EFS user guide, "Using VPC security groups"). */
export const NFS_PORT = 2049;
/** The EFS CSI driver's provisioner name (kubernetes-sigs/aws-efs-csi-driver). */
export const EFS_PROVISIONER = "efs.csi.aws.com";

/** The security group rule of the mount targets: NFS from the EKS cluster security group, which every node joins. */
export function nfsIngressRule<Id>(clusterSecurityGroupId: Id) {
    return {
        description: "NFS from the nodes (the EKS cluster security group): the EFS mount targets' only client",
        referencedSecurityGroupId: clusterSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: NFS_PORT,
        toPort: NFS_PORT,
    } as const;
}

/** The file system's settings: encrypted at rest (the account's aws/elasticfilesystem key), regional, General Purpose. */
export function fileSystemArgs(efs: Pick<EfsSettings, "throughputMode">, clusterName: string) {
    return {
        // Idempotency token: a retried create returns the same file system instead of a second one.
        creationToken: `${clusterName}-shared`,
        encrypted: true,
        performanceMode: "generalPurpose",
        throughputMode: efs.throughputMode,
        tags: { Name: `${clusterName}-shared` },
    } as const;
}

/**
 * The StorageClass: dynamic provisioning through access points (provisioningMode efs-ap; one access point, with its
 * own POSIX identity and root directory, per volume) on the stack's file system. Never the default class (that is
 * gp3). Parameters are the driver's (kubernetes-sigs/aws-efs-csi-driver docs/parameters.md at v3.3.0); the volume
 * binds at once: the file system is regional, reachable from every zone's mount target.
 */
export function efsStorageClassSpec<Id>(settings: EfsSettings["storageClass"], fileSystemId: Id) {
    return {
        metadata: {
            name: settings.name,
            annotations: {
                "storageclass.kubernetes.io/is-default-class": "false",
                "kubernetes.io/description": "Shared file storage (EFS): ReadWriteMany, one access point per volume",
            },
        },
        provisioner: EFS_PROVISIONER,
        parameters: {
            provisioningMode: "efs-ap",
            fileSystemId,
            directoryPerms: settings.directoryPerms,
            basePath: settings.basePath,
        },
        reclaimPolicy: settings.reclaimPolicy,
        volumeBindingMode: "Immediate" as const,
    };
}
