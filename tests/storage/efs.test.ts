// Shared file storage on EFS, on the shipped plans: the EFS CSI driver add-on (one add-on spec) with its Pod Identity
// role, an encrypted file system protected in prod, a mount target in every private subnet behind a security group
// open to the nodes only, the StorageClass with dynamic access points, and the destroy order (the class and the driver
// before the mount targets). Bad settings get the config error.
import { describe, expect, it } from "vitest";
import * as storageV1 from "kubernetes-models/storage.k8s.io/v1";
import { addonPlan, efsCsiDriverAddon } from "../../components/cluster";
import { addonWorkloadsOf } from "../../components/workloads";
import { efsStorageClassSpec, NFS_PORT } from "../../components/storage";
import { DependencyGraph, platformConfigFor, type PlannedResource } from "../../plan";
import { versionsFor } from "../../stacks/versions";
import { configProblems, problemLine } from "../helpers/config";
import { sharedPlan } from "../helpers/shared-plan";

const of = (stack: string, type: string) => sharedPlan(stack).resources.filter((r) => r.type === type);
const one = (stack: string, type: string, name?: string): PlannedResource => {
    const found = of(stack, type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) throw new Error(`${stack}: expected one ${type} ${name ?? ""}, found ${found.map((r) => r.name).join(", ")}`);
    return found[0] as PlannedResource;
};

describe("the EFS CSI driver add-on", () => {
    it("is one add-on spec: the version table's build, the controller on the system nodes, AmazonEFSCSIDriverPolicy through Pod Identity", () => {
        const dev = platformConfigFor("dev");
        expect(dev.cluster.addons.efsCsiDriver).toBe(versionsFor(dev.cluster.kubernetesVersion).addons["aws-efs-csi-driver"].version);
        const spec = efsCsiDriverAddon(dev.cluster.addons.efsCsiDriver, dev.clusterName);
        expect(spec).toMatchObject({
            key: "efs-csi-driver",
            addonName: "aws-efs-csi-driver",
            phase: "afterCompute",
            configurationValues: { controller: { tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }] } },
            podIdentity: {
                namespace: "kube-system",
                serviceAccount: "efs-csi-controller-sa",
                managedPolicies: ["AmazonEFSCSIDriverPolicy"],
            },
        });
        const plan = (efsCsiDriver: boolean) =>
            addonPlan(dev.cluster, { install: true, configurationValues: {} }, dev.clusterName, { efsCsiDriver }).map((a) => a.key);
        expect(plan(true)).toContain("efs-csi-driver");
        expect(plan(false)).not.toContain("efs-csi-driver");
    });

    it("is in every shipped plan with its role, waiting for the association and the mount targets", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const addon = one(stack, "aws:eks/addon:Addon", "cluster-efs-csi-driver");
            expect(addon.inputs.addonName).toBe("aws-efs-csi-driver");
            const association = one(stack, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "cluster-efs-csi-driver-pod-identity");
            expect(association.inputs).toMatchObject({ namespace: "kube-system", serviceAccount: "efs-csi-controller-sa" });
            expect(addon.dependencies).toContain(association.urn);
            for (const mount of of(stack, "aws:efs/mountTarget:MountTarget")) expect(addon.dependencies, stack).toContain(mount.urn);
            // The placement check describes its pods: the controller with the system toleration, the node DaemonSet.
            const pods = addonWorkloadsOf("aws-efs-csi-driver", addon.inputs.configurationValues);
            expect(pods.map((w) => `${w.name} ${w.kind}`)).toEqual([
                "aws-efs-csi-driver/controller Deployment",
                "aws-efs-csi-driver/node DaemonSet",
            ]);
        }
    });
});

describe("the file system", () => {
    it("is encrypted, protected in prod only, with a mount target in each private subnet behind its own security group", () => {
        for (const stack of ["dev", "prod"]) {
            const fs = one(stack, "aws:efs/fileSystem:FileSystem");
            expect(fs.inputs).toMatchObject({ encrypted: true, performanceMode: "generalPurpose", throughputMode: "elastic" });
            expect(fs.protect).toBe(stack === "prod");
            const privateSubnets = of(stack, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes("private"));
            const mounts = of(stack, "aws:efs/mountTarget:MountTarget");
            expect(mounts).toHaveLength(platformConfigFor(stack).network.azCount);
            expect(mounts.map((m) => m.inputs.subnetId).sort()).toEqual(privateSubnets.map((s) => s.id).sort());
            const sg = one(stack, "aws:ec2/securityGroup:SecurityGroup", "efs-mount-targets");
            for (const m of mounts) expect(m.inputs.securityGroups).toEqual([sg.id]);
            expect(sg.inputs.ingress ?? []).toEqual([]);
        }
        expect(of("prod", "aws:efs/backupPolicy:BackupPolicy").map((b) => b.inputs.backupPolicy)).toEqual([{ status: "ENABLED" }]);
        expect(of("dev", "aws:efs/backupPolicy:BackupPolicy")).toEqual([]);
    });

    it("admits NFS from the cluster security group, which every node joins, and nothing else", () => {
        const rules = of("prod", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name === "storage-efs-nfs");
        expect(rules).toHaveLength(1);
        const sg = one("prod", "aws:ec2/securityGroup:SecurityGroup", "efs-mount-targets");
        expect(rules[0]?.inputs).toMatchObject({ securityGroupId: sg.id, ipProtocol: "tcp", fromPort: NFS_PORT, toPort: NFS_PORT });
        // The cluster security group: the one the load balancer controller's webhook rule is in (nodes share it).
        const webhook = one("prod", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ingress-lbc-webhook");
        expect(rules[0]?.inputs.referencedSecurityGroupId).toBe(webhook.inputs.securityGroupId);
        expect(rules[0]?.dependencies).toContain(sharedPlan("prod").resources.find((r) => r.type === "eks:index:Cluster")?.urn);
        expect(rules[0]?.inputs.cidrIpv4).toBeUndefined();
    });
});

describe("the StorageClass", () => {
    it("provisions access points on the stack's file system, never as the default class, Retain in prod", () => {
        const dev = one("dev", "kubernetes:storage.k8s.io/v1:StorageClass", "storage-efs");
        const fs = one("dev", "aws:efs/fileSystem:FileSystem");
        expect(dev.inputs).toMatchObject({
            provisioner: "efs.csi.aws.com",
            parameters: { provisioningMode: "efs-ap", fileSystemId: fs.id, directoryPerms: "700", basePath: "/dynamic" },
            reclaimPolicy: "Delete",
            volumeBindingMode: "Immediate",
            metadata: { name: "efs", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } },
        });
        expect(one("prod", "kubernetes:storage.k8s.io/v1:StorageClass", "storage-efs").inputs.reclaimPolicy).toBe("Retain");
        const spec = efsStorageClassSpec(platformConfigFor("prod").storage.efs.storageClass, "fs-0123456789abcdef0");
        expect(() => new storageV1.StorageClass({ ...spec }).validate()).not.toThrow();
        expect(() => new storageV1.StorageClass({ ...spec, reclaimPolicy: 7 } as never).validate()).toThrow();
    });

    it("is deleted before the mount targets, and so is the driver: nothing pulls a mount target from under a volume", () => {
        for (const stack of ["dev", "prod"]) {
            const graph = new DependencyGraph(sharedPlan(stack).resources);
            const storageClass = one(stack, "kubernetes:storage.k8s.io/v1:StorageClass", "storage-efs");
            const driver = one(stack, "aws:eks/addon:Addon", "cluster-efs-csi-driver");
            const fs = one(stack, "aws:efs/fileSystem:FileSystem");
            expect(graph.deletedBefore(storageClass, driver), stack).toBe(true);
            for (const mount of of(stack, "aws:efs/mountTarget:MountTarget")) {
                expect(graph.deletedBefore(storageClass, mount), `${stack} class before ${mount.name}`).toBe(true);
                expect(graph.deletedBefore(driver, mount), `${stack} driver before ${mount.name}`).toBe(true);
                expect(graph.deletedBefore(mount, fs), `${stack} ${mount.name} before the file system`).toBe(true);
                expect(graph.deletedBefore(mount, driver)).toBe(false);
            }
        }
    });
});

describe("storage settings", () => {
    const problems = (efs: Record<string, unknown>) =>
        configProblems({ stack: "dev", overrides: { "eks-platform:storage": { efs } } }).map(problemLine);

    it("refuses an EFS class without the driver, naming the key, the value and the rule", () => {
        expect(problems({ csiDriver: false })).toEqual([
            "eks-platform:storage.efs.storageClass.enabled: needs the EFS CSI driver (eks-platform:storage.efs.csiDriver: true): the class's provisioner efs.csi.aws.com would not exist, so every claim naming it would stay Pending (got true)",
        ]);
        expect(problems({ csiDriver: false, storageClass: { enabled: false } })).toEqual([]);
    });

    it("refuses settings without effect while EFS is off, and bad values", () => {
        expect(problems({ enabled: false, backup: true })).toEqual([
            "eks-platform:storage.efs.backup: has no effect while efs.enabled is false: no file system, driver or class is made; remove it (kept for a later switch it would take effect unreviewed) (got true)",
        ]);
        expect(problems({ enabled: false })).toEqual([]);
        expect(problems({ throughputMode: "provisioned", storageClass: { directoryPerms: "rwx" } })).toEqual([
            'eks-platform:storage.efs.throughputMode: must be one of elastic, bursting (got "provisioned")',
            'eks-platform:storage.efs.storageClass.directoryPerms: must be octal permissions such as "700" (quoted in YAML) (got "rwx")',
        ]);
    });
});
