// eks-platform:storage — shared file storage on Amazon EFS, in two components because the destroy order needs it:
//   FileSystem (before the cluster: it needs only the network): the encrypted file system, protected like the
//     cluster, its backup policy, a security group and a mount target in every private subnet. The EFS CSI driver
//     add-on (the Cluster's) waits for the mount targets, so a destroy deletes the driver before them.
//   EfsStorage (after the cluster): the security group's rule admitting NFS from the cluster security group, and the
//     StorageClass, which waits for the driver and the mount targets and so is deleted before both.
// PersistentVolumes the driver provisions are the tenants'; with the class and the driver gone before the mount
// targets, nothing the program deletes pulls a mount target from under a mounted volume.
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext, PlatformContext } from "../lib/context";
import type { NetworkOutputs } from "../lib/contracts";
import { efsStorageClassSpec, fileSystemArgs, nfsIngressRule, type EfsSettings } from "./spec";

export * from "./spec";

export interface FileSystemArgs {
    ctx: AccountContext;
    config: EfsSettings;
    network: Pick<NetworkOutputs, "vpcId" | "privateSubnetIds">;
}

export class FileSystem extends pulumi.ComponentResource {
    readonly fileSystem: aws.efs.FileSystem;
    readonly fileSystemId: pulumi.Output<string>;
    readonly securityGroup: aws.ec2.SecurityGroup;
    /** One per private subnet, in the subnets' order. */
    readonly mountTargets: aws.efs.MountTarget[];

    constructor(name: string, args: FileSystemArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:storage:FileSystem", name, {}, opts);
        const { ctx, config } = args;
        const parent = { parent: this };

        // Protected like the control plane: a file system holds the tenants' data, and its deletion cannot be undone.
        this.fileSystem = new aws.efs.FileSystem(name, fileSystemArgs(config, ctx.clusterName), {
            parent: this,
            protect: ctx.protect,
        });
        this.fileSystemId = this.fileSystem.id;
        if (config.backup)
            new aws.efs.BackupPolicy(
                `${name}-efs-backup`,
                { fileSystemId: this.fileSystem.id, backupPolicy: { status: "ENABLED" } },
                parent,
            );

        // No rule here: NFS from the nodes is admitted once the cluster (and its security group) exists (EfsStorage).
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-mount-targets`,
            {
                vpcId: args.network.vpcId,
                description: `EFS mount targets of ${ctx.clusterName}: NFS from the cluster's nodes only`,
                tags: { Name: `${ctx.clusterName}-efs` },
            },
            parent,
        );
        this.mountTargets = args.network.privateSubnetIds.map(
            (subnetId, i) =>
                new aws.efs.MountTarget(
                    `${name}-mount-${i}`,
                    { fileSystemId: this.fileSystem.id, subnetId, securityGroups: [this.securityGroup.id] },
                    parent,
                ),
        );
        this.registerOutputs({ fileSystemId: this.fileSystemId, securityGroupId: this.securityGroup.id });
    }
}

export interface EfsStorageArgs {
    ctx: PlatformContext;
    config: EfsSettings;
    fileSystem: Pick<FileSystem, "fileSystemId" | "securityGroup" | "mountTargets">;
    /** The Cluster's aws-efs-csi-driver add-on: the class waits for it; undefined when the driver is not installed. */
    csiDriver?: pulumi.Resource;
}

export class EfsStorage extends pulumi.ComponentResource {
    readonly storageClassName?: pulumi.Output<string>;

    constructor(name: string, args: EfsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:storage:EfsStorage", name, {}, opts);
        const { ctx, config, fileSystem } = args;
        const nfs = new aws.vpc.SecurityGroupIngressRule(
            `${name}-efs-nfs`,
            { securityGroupId: fileSystem.securityGroup.id, ...nfsIngressRule(ctx.cluster.clusterSecurityGroupId) },
            { parent: this },
        );
        if (config.storageClass.enabled) {
            if (!args.csiDriver) throw new Error("storage.efs.storageClass needs the EFS CSI driver (eks-platform:storage.efs.csiDriver)");
            const storageClass = new kubernetes.storage.v1.StorageClass(
                `${name}-efs`,
                efsStorageClassSpec(config.storageClass, fileSystem.fileSystemId),
                { parent: this, provider: ctx.k8sProvider, dependsOn: [args.csiDriver, nfs, ...fileSystem.mountTargets] },
            );
            this.storageClassName = storageClass.metadata.name;
        }
        this.registerOutputs({ storageClassName: this.storageClassName });
    }
}
