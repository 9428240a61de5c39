// The mock's model of @pulumi/eks v4.3.0's remote components (plan/mock-eks.ts), one test per fact read from
// pulumi/pulumi-eks@v4.3.0 nodejs/eks (cluster/cluster.ts, cluster/authenticationMode.ts, servicerole.ts,
// nodes/nodegroup.ts), on the Cluster component built for prod and on a bare eks.Cluster with access entries.
import * as crypto from "node:crypto";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { Cluster } from "../../components/cluster";
import { effectiveCredentialOpts, generateKubeconfig, unmodeledClusterInputs } from "../../plan/mock-eks-spec";
import { platformConfigFor, settle, setupMocks, type PlannedResource } from "../../plan";
import { accountContextFor } from "../helpers/stand-ins";

const { recorder } = setupMocks("prod");
const prod = platformConfigFor("prod");
const network = {
    vpcId: pulumi.output("vpc-123"),
    publicSubnetIds: [0, 1, 2].map((i) => pulumi.output(`subnet-public-${i}`)),
    privateSubnetIds: [0, 1, 2].map((i) => pulumi.output(`subnet-private-${i}`)),
};
const ctx = accountContextFor(prod, "prod-");
// As index.ts does: the aws provider given to our component, none to the eks one (the engine passes it down).
const cluster = new Cluster(
    "prod",
    { ctx, config: prod.cluster, network, vpcCni: { install: true, configurationValues: {} } },
    { providers: { aws: ctx.awsProvider } },
);
// A bare component with access entries, as pulumi-eks would build them (our Cluster declares none of its own).
const bare = new eks.Cluster("bare", {
    name: "bare",
    version: "1.35",
    authenticationMode: "API",
    privateSubnetIds: ["subnet-a"],
    skipDefaultNodeGroup: true,
    skipDefaultSecurityGroups: true,
    useDefaultVpcCni: true,
    kubeProxyAddonOptions: { enabled: false },
    accessEntries: {
        ops: {
            principalArn: "arn:aws:iam::111111111111:role/ops",
            accessPolicies: {
                view: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", accessScope: { type: "cluster" } },
            },
        },
    },
});

const value = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();
const one = (type: string, name: string): PlannedResource => recorder.one(type, name);
const component = () => one("eks:index:Cluster", "prod-eks");
const controlPlane = () => one("aws:eks/cluster:Cluster", "prod-eks-eksCluster");

describe("eks.Cluster outputs", () => {
    it("takes clusterSecurityGroupId from the control plane's vpcConfig, and the node group id is the same group", async () => {
        await settle();
        const eksCluster = await value(cluster.eksCluster);
        const fromControlPlane = await value(eksCluster.vpcConfig.clusterSecurityGroupId);
        expect(fromControlPlane).toMatch(/^sg-/);
        expect(await value(cluster.clusterSecurityGroupId)).toBe(fromControlPlane);
    });

    it("with skipDefaultSecurityGroups: nodeSecurityGroupId is the cluster security group, clusterIngressRuleId is empty", async () => {
        const sg = await value((await value(bare.eksCluster)).vpcConfig.clusterSecurityGroupId);
        expect(await value(bare.nodeSecurityGroupId)).toBe(sg);
        expect(await value(bare.clusterIngressRuleId)).toBe("");
    });

    it("writes a kubeconfig whose exec plugin passes --region and KUBERNETES_EXEC_INFO, and no profile", async () => {
        const kubeconfig = JSON.parse(await value(bare.kubeconfigJson)) as {
            users: { user: { exec: { args: string[]; env: unknown[] } } }[];
        };
        const exec = kubeconfig.users[0]?.user.exec;
        expect(exec?.args).toEqual(["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "bare", "--output", "json"]);
        expect(exec?.env).toEqual([{ name: "KUBERNETES_EXEC_INFO", value: `{"apiVersion": "client.authentication.k8s.io/v1beta1"}` }]);
    });
});

describe("eks.Cluster children", () => {
    it("are marked as modeled and sit under the component, inheriting its protect (prod)", () => {
        const children = recorder.resources.filter((r) => r.parent === component().urn);
        expect(children.map((r) => r.type).sort()).toEqual([
            "aws:eks/cluster:Cluster",
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
            "eks:index:ServiceRole",
            "pulumi:providers:kubernetes",
        ]);
        const descendants = recorder.resources.filter(
            (r) => r.urn.includes("eks:index:Cluster$") || r.urn.includes("eks:index:ServiceRole$"),
        );
        for (const r of [...children, ...descendants.filter((r) => r.name.startsWith("prod-"))]) {
            expect(r.standIn, r.name).toBe(true);
            expect(r.protect, r.name).toBe(true);
        }
        expect(component().standIn).toBeUndefined();
    });

    it("include an eks:index:ServiceRole: an IAM role trusting eks.amazonaws.com (AssumeRole, TagSession) with AmazonEKSClusterPolicy", () => {
        const role = one("aws:iam/role:Role", "prod-eks-eksRole-role");
        expect(role.parent).toBe(one("eks:index:ServiceRole", "prod-eks-eksRole").urn);
        expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual({
            Version: "2012-10-17",
            Statement: [{ Action: ["sts:AssumeRole", "sts:TagSession"], Effect: "Allow", Principal: { Service: ["eks.amazonaws.com"] } }],
        });
        // servicerole.ts names each attachment by a hash of the policy's id.
        const hash = crypto.createHash("sha1").update("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy").digest("hex").slice(0, 8);
        const attachment = one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `prod-eks-eksRole-${hash}`);
        expect(attachment.inputs.policyArn).toBe("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy");
        expect(controlPlane().dependencies).toEqual(expect.arrayContaining([role.urn, attachment.urn]));
    });

    it("include the control plane, its inputs derived from the component's as the real code derives them", () => {
        const inputs = controlPlane().inputs;
        expect(inputs).toMatchObject({
            name: "eks-platform-prod",
            version: "1.35",
            bootstrapSelfManagedAddons: false,
            deletionProtection: true,
            enabledClusterLogTypes: [...prod.cluster.logTypes],
            // accessConfig is forced: bootstrapClusterCreatorAdminPermissions true whenever authenticationMode is set.
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
            kubernetesNetworkConfig: { serviceIpv4Cidr: "172.20.0.0/16", ipFamily: "ipv4" },
            upgradePolicy: { supportType: "STANDARD" },
            tags: { Name: "prod-eks-eksCluster" },
            vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
        });
        expect(inputs.encryptionConfig).toEqual({ provider: { keyArn: expect.stringMatching(/^arn:aws:kms:/) }, resources: ["secrets"] });
        // Public subnets first, then the private ones.
        expect((inputs.vpcConfig as { subnetIds: string[] }).subnetIds).toEqual([
            ...[0, 1, 2].map((i) => `subnet-public-${i}`),
            ...[0, 1, 2].map((i) => `subnet-private-${i}`),
        ]);
        expect(controlPlane().ignoreChanges).toEqual([
            "accessConfig.bootstrapClusterCreatorAdminPermissions",
            "bootstrapSelfManagedAddons",
        ]);
        // The engine gives a remote component its parent component's providers: the children use our aws provider.
        expect(controlPlane().provider).toMatch(/pulumi:providers:aws::prod-aws::/);
        expect(controlPlane().dependencies).toContain(one("aws:kms/key:Key", "prod-secrets").urn);
    });

    it("include the IAM OIDC provider for the control plane's issuer and a second Kubernetes provider", () => {
        const oidc = one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "prod-eks-oidcProvider");
        expect(oidc.inputs).toMatchObject({
            clientIdLists: ["sts.amazonaws.com"],
            url: expect.stringMatching(/^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\//),
        });
        expect(oidc.dependencies).toContain(controlPlane().urn);
        const provider = one("pulumi:providers:kubernetes", "prod-eks-eks-k8s");
        expect(JSON.parse(provider.inputs.kubeconfig as string).users[0].user.exec.args).toContain("--region");
        expect(provider.inputs.enableConfigMapMutable).toBe("false");
    });

    it("include one AccessEntry and one AccessPolicyAssociation per accessEntries item, under the entry", () => {
        const entry = one("aws:eks/accessEntry:AccessEntry", "bare-ops");
        expect(entry.inputs).toMatchObject({ clusterName: "bare", principalArn: "arn:aws:iam::111111111111:role/ops" });
        const association = one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "bare-ops-view");
        expect(association.parent).toBe(entry.urn);
        expect(association.inputs).toMatchObject({ accessScope: { type: "cluster" }, principalArn: "arn:aws:iam::111111111111:role/ops" });
        expect(association.dependencies).toContain(entry.urn);
        expect(entry.standIn && association.standIn).toBe(true);
    });
});

describe("eks.ManagedNodeGroup", () => {
    it("makes one NodeGroup taking the launch template as given, with the version we set (none is copied with a template)", () => {
        const groups = recorder.byType("aws:eks/nodeGroup:NodeGroup");
        expect(groups.map((g) => g.name)).toEqual(["prod-system"]);
        const group = groups[0] as PlannedResource;
        expect(group.parent).toBe(one("eks:index:ManagedNodeGroup", "prod-system").urn);
        const template = one("aws:ec2/launchTemplate:LaunchTemplate", "prod-system");
        expect(group.inputs.launchTemplate).toEqual({ id: expect.stringMatching(/^lt-/), version: "1" });
        expect(group.dependencies).toContain(template.urn);
        expect(group.inputs).toMatchObject({ version: "1.35", clusterName: "eks-platform-prod", nodeGroupNamePrefix: "system-" });
        expect(group.inputs.subnetIds).toEqual([0, 1, 2].map((i) => `subnet-private-${i}`));
        expect(group.protect).toBe(false);
    });
});

describe("the model's pure parts", () => {
    it("copies AWS_PROFILE (then aws:profile) into the credential options only when none are given", () => {
        expect(effectiveCredentialOpts({}, { AWS_PROFILE: "laptop" })).toEqual({ profileName: "laptop" });
        expect(effectiveCredentialOpts({ providerCredentialOpts: {} }, { AWS_PROFILE: "laptop" })).toEqual({});
        expect(effectiveCredentialOpts({}, {})).toBeUndefined();
    });

    it("adds --profile only to the kubeconfig of the component's own provider", () => {
        const args = (includeProfile: boolean) =>
            (
                generateKubeconfig("c", "https://x", "eu-west-1", "Q0E=", includeProfile, { profileName: "laptop" }) as {
                    users: { user: { exec: { args: string[] } } }[];
                }
            ).users[0]?.user.exec.args;
        expect(args(true)).toEqual(expect.arrayContaining(["--profile", "laptop"]));
        expect(args(false)).not.toContain("--profile");
    });

    it("names the inputs whose children it does not model, so such a plan fails loudly", () => {
        const modeled = recorder.one("eks:index:Cluster", "prod-eks").inputs;
        expect(unmodeledClusterInputs(modeled)).toEqual([]);
        expect(unmodeledClusterInputs({ ...modeled, skipDefaultNodeGroup: false, authenticationMode: "API_AND_CONFIG_MAP" })).toEqual([
            "a default node group (skipDefaultNodeGroup not true)",
            "authenticationMode API_AND_CONFIG_MAP (aws-auth ConfigMap)",
        ]);
    });
});
