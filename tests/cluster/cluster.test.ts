// Cluster under the mock runtime for dev, prod and a calico-cni variant, its pure specs, and the cluster config rules.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { accessEntriesFor, addonPlan, Cluster } from "../../components/cluster";
import { partitionOf } from "../../components/lib/context";
import { accountContextFor } from "../helpers/stand-ins";
import { isArm64InstanceType } from "../../stacks/schema/cluster";
import type { PlatformConfig } from "../../stacks/config";
import { configError } from "../helpers/config";
import { platformConfigFor, settle, setupMocks, type PlannedResource } from "../../plan";

const { recorder } = setupMocks("dev");
const dev = platformConfigFor("dev");
const prod = platformConfigFor("prod");
const calico = platformConfigFor({
    stack: "dev",
    overrides: {
        "eks-platform:cni": { mode: "calico-cni", vpcCni: { prefixDelegation: false } },
        "eks-platform:cluster": { name: "calico-cluster" },
    },
});

const network = (azs: number) => ({
    vpcId: pulumi.output("vpc-123"),
    publicSubnetIds: Array.from({ length: azs }, (_, i) => pulumi.output(`subnet-public-${i}`)),
    privateSubnetIds: Array.from({ length: azs }, (_, i) => pulumi.output(`subnet-private-${i}`)),
});
const build = (name: string, c: PlatformConfig, maxPods?: number) =>
    new Cluster(name, {
        ctx: accountContextFor(c, `${name}-`),
        config: c.cluster,
        network: network(c.network.azCount),
        maxPods,
        vpcCni: { install: c.cni.mode !== "calico-cni", configurationValues: { env: { ENABLE_PREFIX_DELEGATION: "true" } } },
    });
const devCluster = build("dev", dev, 110);
build("prod", prod);
build("calico", calico);

const one = (type: string, name: string): PlannedResource => recorder.one(type, name);
const eksInputs = (prefix: string) => one("eks:index:Cluster", `${prefix}-eks`).inputs;
const addon = (prefix: string, key: string) => one("aws:eks/addon:Addon", `${prefix}-${key}`);
const userDataOf = (prefix: string) =>
    Buffer.from(one("aws:ec2/launchTemplate:LaunchTemplate", `${prefix}-system`).inputs.userData as string, "base64").toString("utf8");

describe("control plane", () => {
    beforeAll(settle);

    it.each(["dev", "prod"])("%s: sets every security-relevant eks.Cluster input explicitly", (prefix) => {
        const c = prefix === "dev" ? dev : prod;
        expect(eksInputs(prefix)).toMatchObject({
            name: c.clusterName,
            version: "1.35",
            authenticationMode: "API",
            endpointPrivateAccess: true,
            createOidcProvider: true,
            skipDefaultNodeGroup: true,
            createInstanceRole: false,
            skipDefaultSecurityGroups: true,
            nodeAssociatePublicIpAddress: false,
            bootstrapSelfManagedAddons: false,
            useDefaultVpcCni: true,
            corednsAddonOptions: { enabled: false },
            kubeProxyAddonOptions: { enabled: false },
            kubernetesServiceIpAddressRange: "172.20.0.0/16",
            ipFamily: "ipv4",
            upgradePolicy: { supportType: "STANDARD" },
            privateSubnetIds: Array.from({ length: c.network.azCount }, (_, i) => `subnet-private-${i}`),
        });
        expect(eksInputs(prefix).enabledClusterLogTypes).toEqual([...c.cluster.logTypes]);
        expect(eksInputs(prefix).enabledClusterLogTypes).toEqual(expect.arrayContaining(["api", "audit", "authenticator"]));
    });

    it("opens the public endpoint only to the listed networks in dev and keeps prod private", () => {
        expect(eksInputs("dev")).toMatchObject({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "198.51.100.10/32"] });
        expect(eksInputs("prod").endpointPublicAccess).toBe(false);
        expect(eksInputs("prod").publicAccessCidrs).toBeUndefined();
    });

    it("encrypts secrets with a rotating KMS key of this stack, protected in prod", () => {
        for (const [prefix, window, protect] of [
            ["dev", 7, false],
            ["prod", 30, true],
        ] as const) {
            const key = one("aws:kms/key:Key", `${prefix}-secrets`);
            expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: window });
            expect(key.protect).toBe(protect);
            expect(one("eks:index:Cluster", `${prefix}-eks`).dependencies).toContain(key.urn);
            expect(eksInputs(prefix).encryptionConfigKeyArn).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
            expect(eksInputs(prefix).deletionProtection).toBe(protect);
            expect(one("eks:index:Cluster", `${prefix}-eks`).protect).toBe(protect);
            const policy = JSON.parse(key.inputs.policy as string);
            expect(policy.Statement).toEqual([
                expect.objectContaining({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" } }),
            ]);
        }
        expect(one("aws:kms/alias:Alias", "prod-secrets").inputs.name).toBe("alias/eks-platform-prod-secrets");
    });

    it("makes the control-plane log group with the retention before the cluster", () => {
        const logs = one("aws:cloudwatch/logGroup:LogGroup", "prod-control-plane");
        expect(logs.inputs).toMatchObject({ name: "/aws/eks/eks-platform-prod/cluster", retentionInDays: 365 });
        expect(one("eks:index:Cluster", "prod-eks").dependencies).toContain(logs.urn);
        expect(one("aws:cloudwatch/logGroup:LogGroup", "dev-control-plane").inputs.retentionInDays).toBe(7);
    });

    it("grants the configured admins through access entries, namespaced where asked", () => {
        expect(eksInputs("dev").accessEntries).toEqual({
            "platform-admin": {
                principalArn: "arn:aws:iam::111111111111:role/platform-admin",
                type: "STANDARD",
                accessPolicies: {
                    "cluster-admin": {
                        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                        accessScope: { type: "cluster" },
                    },
                },
            },
            developers: {
                principalArn: "arn:aws:iam::111111111111:role/developers",
                type: "STANDARD",
                accessPolicies: {
                    edit: {
                        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
                        accessScope: { type: "namespace", namespaces: ["apps", "sandbox"] },
                    },
                },
            },
        });
        expect(Object.keys(eksInputs("prod").accessEntries as object).sort()).toEqual(["gitops-deployer", "platform-admin", "sre-oncall"]);
    });

    it("builds the Kubernetes provider from the secret kubeconfig with a stable cluster identifier", async () => {
        const provider = one("pulumi:providers:kubernetes", "prod-k8s");
        expect(provider.inputs).toMatchObject({
            kubeconfig: "[secret]",
            clusterIdentifier: "eks-platform-prod",
            enableServerSideApply: "true",
        });
        const isSecret = await (devCluster.kubeconfig as unknown as { isSecret: Promise<boolean> }).isSecret;
        expect(isSecret).toBe(true);
    });
});

describe("system node group", () => {
    it.each([
        ["dev", dev],
        ["prod", prod],
    ] as const)("%s: AL2023 managed nodes in private subnets, tainted for critical add-ons, through the launch template", (prefix, c) => {
        const group = one("eks:index:ManagedNodeGroup", `${prefix}-system`);
        const g = c.cluster.systemNodeGroup;
        expect(group.inputs).toMatchObject({
            amiType: "AL2023_ARM_64_STANDARD",
            instanceTypes: [...g.instanceTypes],
            capacityType: "ON_DEMAND",
            scalingConfig: { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize },
            subnetIds: Array.from({ length: c.network.azCount }, (_, i) => `subnet-private-${i}`),
            taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        });
        expect(group.inputs).not.toHaveProperty("diskSize");
        const template = one("aws:ec2/launchTemplate:LaunchTemplate", `${prefix}-system`);
        expect(template.inputs.metadataOptions).toEqual({
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
            instanceMetadataTags: "disabled",
        });
        expect(template.inputs.blockDeviceMappings).toEqual([
            {
                deviceName: "/dev/xvda",
                ebs: { volumeSize: g.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            },
        ]);
        expect(group.dependencies).toContain(template.urn);
        expect(template.inputs).not.toHaveProperty("imageId");
    });

    it("carries the nodeadm NodeConfig from config, with max pods from the CNI, in MIME user data", () => {
        const doc = userDataOf("dev");
        expect(doc).toMatch(/^MIME-Version: 1\.0\nContent-Type: multipart\/mixed; boundary="/);
        const yaml = doc.split("Content-Type: application/node.eks.aws\n\n")[1]?.split("\n--")[0] ?? "";
        const nodeConfig = parseYaml(yaml) as { kind: string; spec: { kubelet: { config: Record<string, unknown> } } };
        expect(nodeConfig.kind).toBe("NodeConfig");
        expect(nodeConfig.spec.kubelet.config).toMatchObject({
            maxPods: 110,
            containerLogMaxSize: dev.cluster.nodeSettings.containerLogMaxSize,
        });
        expect(userDataOf("prod")).not.toContain("maxPods");
    });

    it("uses an EC2 node role with the worker, ECR pull and SSM policies, plus the CNI policy only with the VPC CNI", () => {
        const policies = (prefix: string) =>
            recorder
                .byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((r) => r.name.startsWith(`${prefix}-system-node-`))
                .map((r) => String(r.inputs.policyArn).split("/").pop())
                .sort();
        expect(policies("dev")).toEqual([
            "AmazonEC2ContainerRegistryPullOnly",
            "AmazonEKSWorkerNodePolicy",
            "AmazonEKS_CNI_Policy",
            "AmazonSSMManagedInstanceCore",
        ]);
        expect(policies("calico")).not.toContain("AmazonEKS_CNI_Policy");
        const trust = JSON.parse(one("aws:iam/role:Role", "dev-system-node").inputs.assumeRolePolicy as string);
        expect(trust.Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
    });
});

describe("add-ons", () => {
    it.each(["dev", "prod"])("%s: pins every add-on version from config", (prefix) => {
        const v = (prefix === "dev" ? dev : prod).cluster.addons;
        const expected: Record<string, [string, string]> = {
            "vpc-cni": ["vpc-cni", v.vpcCni],
            "kube-proxy": ["kube-proxy", v.kubeProxy],
            "pod-identity-agent": ["eks-pod-identity-agent", v.podIdentityAgent],
            coredns: ["coredns", v.coredns],
            "ebs-csi-driver": ["aws-ebs-csi-driver", v.ebsCsiDriver],
            "metrics-server": ["metrics-server", v.metricsServer],
        };
        for (const [key, [addonName, version]] of Object.entries(expected)) {
            expect(addon(prefix, key).inputs).toMatchObject({ addonName, addonVersion: version, resolveConflictsOnCreate: "OVERWRITE" });
        }
    });

    it("creates the VPC CNI before the system nodes and CoreDNS, EBS CSI and metrics-server after them", () => {
        const nodes = one("eks:index:ManagedNodeGroup", "dev-system");
        expect(recorder.dependsOn(nodes, addon("dev", "vpc-cni"))).toBe(true);
        expect(recorder.dependsOn(nodes, addon("dev", "kube-proxy"))).toBe(true);
        for (const key of ["coredns", "ebs-csi-driver", "metrics-server"]) expect(recorder.dependsOn(addon("dev", key), nodes)).toBe(true);
        expect(recorder.dependsOn(addon("dev", "vpc-cni"), nodes)).toBe(false);
        expect(JSON.parse(addon("dev", "vpc-cni").inputs.configurationValues as string)).toEqual({
            env: { ENABLE_PREFIX_DELEGATION: "true" },
        });
    });

    it("lets CoreDNS and metrics-server tolerate the system taint", () => {
        for (const key of ["coredns", "metrics-server"]) {
            expect(JSON.parse(addon("prod", key).inputs.configurationValues as string).tolerations).toEqual([
                { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" },
            ]);
        }
    });

    it("installs no VPC CNI add-on in calico-cni mode", () => {
        expect(recorder.byType("aws:eks/addon:Addon").filter((r) => r.name === "calico-vpc-cni")).toHaveLength(0);
        expect(addonPlan(calico.cluster, { install: false, configurationValues: {} }, calico.clusterName).map((a) => a.key)).not.toContain(
            "vpc-cni",
        );
    });

    it("gives the EBS CSI controller its IAM role through Pod Identity before the add-on starts", () => {
        const role = one("aws:iam/role:Role", "prod-ebs-csi-role");
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
        expect(trust.Statement[0]).toMatchObject({
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
        });
        expect(trust.Statement[0].Condition.StringEquals).toMatchObject({
            "aws:RequestTag/kubernetes-service-account": "ebs-csi-controller-sa",
            "aws:RequestTag/eks-cluster-name": "eks-platform-prod",
        });
        expect(one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "prod-ebs-csi-AmazonEBSCSIDriverPolicyV2").inputs.policyArn).toBe(
            "arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2",
        );
        const association = one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "prod-ebs-csi-pod-identity");
        expect(association.inputs).toMatchObject({ namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" });
        expect(recorder.dependsOn(association, addon("prod", "pod-identity-agent"))).toBe(true);
        expect(recorder.dependsOn(addon("prod", "ebs-csi-driver"), association)).toBe(true);
        expect(JSON.parse(addon("prod", "ebs-csi-driver").inputs.configurationValues as string).defaultStorageClass).toEqual({
            enabled: false,
        });
    });

    it("makes the encrypted gp3 StorageClass the default, through the cluster's provider, after the driver", () => {
        const sc = one("kubernetes:storage.k8s.io/v1:StorageClass", "prod-gp3");
        expect(sc.inputs).toMatchObject({
            metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
            provisioner: "ebs.csi.aws.com",
            parameters: { type: "gp3", encrypted: "true" },
            volumeBindingMode: "WaitForFirstConsumer",
        });
        expect(sc.provider).toContain("prod-k8s");
        expect(recorder.dependsOn(sc, addon("prod", "ebs-csi-driver"))).toBe(true);
    });
});

describe("pure specs", () => {
    it("derives the partition from the region", () => {
        expect([partitionOf("eu-west-1"), partitionOf("cn-north-1"), partitionOf("us-gov-west-1")]).toEqual([
            "aws",
            "aws-cn",
            "aws-us-gov",
        ]);
    });

    it("keeps access entry keys unique when two principals share a name", () => {
        const entries = accessEntriesFor(
            [
                { principalArn: "arn:aws:iam::111111111111:role/admin", accessPolicy: "admin" },
                { principalArn: "arn:aws:iam::222222222222:role/admin", accessPolicy: "view" },
            ],
            "aws-cn",
        );
        expect(Object.keys(entries)).toEqual(["admin", "admin-2"]);
        expect(entries["admin-2"]?.accessPolicies.view?.policyArn).toBe("arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
    });

    it("tells Graviton instance types from x86 ones", () => {
        for (const t of ["m7g.large", "t4g.large", "c7gn.xlarge", "x2gd.large", "im4gn.large", "g5g.xlarge", "r8g.large"])
            expect(isArm64InstanceType(t)).toBe(true);
        for (const t of ["m7i.large", "m7i-flex.large", "g5.xlarge", "g6e.xlarge", "t3.medium", "c6in.large", "p5.48xlarge"])
            expect(isArm64InstanceType(t)).toBe(false);
    });
});

/** The ConfigError of a stack with `cluster` deep-merged over its file's cluster section. */
const clusterError = (stack: string, cluster: Record<string, unknown>): string =>
    configError({ stack, overrides: { "eks-platform:cluster": cluster } }).message;

describe("cluster config rules", () => {
    it("rejects an add-on version in the wrong format", () => {
        expect(clusterError("dev", { addons: { coredns: "1.12.4" } })).toContain(
            'eks-platform:cluster.addons.coredns: must be an EKS add-on version such as v1.19.2-eksbuild.1 (got "1.12.4")',
        );
    });

    it("rejects a kube-proxy version of another Kubernetes minor", () => {
        expect(clusterError("dev", { addons: { kubeProxy: "v1.33.5-eksbuild.2" } })).toContain(
            "eks-platform:cluster.addons.kubeProxy: must match the cluster's Kubernetes minor version 1.35",
        );
    });

    it("rejects a public endpoint open to 0.0.0.0/0 in prod", () => {
        expect(clusterError("prod", { endpoint: { publicAccess: true, publicAccessCidrs: ["10.0.0.0/8", "0.0.0.0/0"] } })).toContain(
            'eks-platform:cluster.endpoint.publicAccessCidrs[1]: must not open the public API endpoint to the whole internet in prod (CIS EKS 5.4.2): list your networks (got "0.0.0.0/0")',
        );
    });

    it("rejects a public endpoint without an allowlist", () => {
        expect(clusterError("staging", { endpoint: { publicAccessCidrs: [] } })).toContain(
            "eks-platform:cluster.endpoint.publicAccessCidrs: must list the networks allowed to reach the public endpoint",
        );
    });

    it("rejects a system node group smaller than 2 nodes in prod", () => {
        expect(clusterError("prod", { systemNodeGroup: { minSize: 1 } })).toContain(
            "eks-platform:cluster.systemNodeGroup.minSize: must be at least 2 in prod so system add-ons survive the loss of a node (got 1)",
        );
    });

    it("rejects instance types of the other architecture", () => {
        expect(clusterError("dev", { systemNodeGroup: { instanceTypes: ["t4g.large", "m7i.large"] } })).toContain(
            'eks-platform:cluster.systemNodeGroup.instanceTypes[1]: must be an arm64 instance type to match architecture (got "m7i.large")',
        );
    });

    it("rejects turning off the creator's admin permissions, which @pulumi/eks always grants", () => {
        expect(clusterError("dev", { bootstrapClusterCreatorAdminPermissions: false })).toContain(
            "eks-platform:cluster.bootstrapClusterCreatorAdminPermissions: must be true",
        );
    });

    it("rejects a service CIDR outside the private ranges", () => {
        expect(clusterError("dev", { serviceCidr: "100.64.0.0/16" })).toContain(
            "eks-platform:cluster.serviceCidr: must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        );
    });
});
