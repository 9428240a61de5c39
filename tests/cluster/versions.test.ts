// The system node group follows the cluster's Kubernetes version (with a launch template @pulumi/eks copies none:
// pulumi-eks v4.3.0 nodes/nodegroup.ts createManagedNodeGroup), optionally pinned to an AMI release; and the program's
// declared state carries nothing from the deployer's environment (credential options, provider flags).
import * as pulumi from "@pulumi/pulumi";
import { versionsFor } from "../../stacks/versions";
import { describe, expect, it } from "vitest";
import { Cluster, PINNED_PROVIDER_FLAGS } from "../../components/cluster";
import type { PlatformConfig } from "../../stacks/config";
import { platformConfigFor, settle, setupMocks } from "../../plan";
import { configError } from "../helpers/config";
import { accountContextFor } from "../helpers/stand-ins";

const { recorder } = setupMocks("staging");
const staging = platformConfigFor("staging");
const pinned = platformConfigFor({
    stack: "staging",
    overrides: {
        "eks-platform:cluster": {
            kubernetesVersion: "1.35",
            addons: { kubeProxy: "v1.35.0-eksbuild.1" },
            systemNodeGroup: { releaseVersion: "1.35.0-20251120" },
        },
    },
});
const build = (name: string, c: PlatformConfig) => {
    const ctx = accountContextFor(c, `${name}-`);
    return new Cluster(
        name,
        {
            ctx,
            config: c.cluster,
            network: {
                vpcId: pulumi.output("vpc-1"),
                publicSubnetIds: [pulumi.output("subnet-public-0")],
                privateSubnetIds: [pulumi.output("subnet-private-0")],
            },
            vpcCni: { install: true, configurationValues: {} },
        },
        { providers: { aws: ctx.awsProvider } },
    );
};
const stagingCluster = build("staging", staging);
build("pinned", pinned);

const nodeGroup = (name: string) => recorder.one("aws:eks/nodeGroup:NodeGroup", name);
const component = (name: string) => recorder.one("eks:index:ManagedNodeGroup", name);

describe("system node group versions", () => {
    it("sets the cluster's Kubernetes version on the node group, which reaches the EKS node group with the launch template", async () => {
        await settle();
        expect(component("staging-system").inputs.version).toBe("1.35");
        expect(nodeGroup("staging-system").inputs).toMatchObject({
            version: "1.35",
            launchTemplate: { id: expect.stringMatching(/^lt-/) },
        });
        // The AMI release follows the minor through the version table unless the stack pins one.
        expect(nodeGroup("staging-system").inputs.releaseVersion).toBe(versionsFor("1.35").ami.releaseVersion);
        expect(recorder.one("aws:eks/cluster:Cluster", "staging-eks-eksCluster").inputs.version).toBe("1.35");
    });

    it("moves the nodes with a version upgrade and pins the AMI release when asked", () => {
        expect(nodeGroup("pinned-system").inputs).toMatchObject({ version: "1.35", releaseVersion: "1.35.0-20251120" });
        expect(recorder.one("aws:eks/cluster:Cluster", "pinned-eks-eksCluster").inputs.version).toBe("1.35");
        // The control plane goes first: the node group waits for it.
        expect(recorder.dependsOn(nodeGroup("pinned-system"), recorder.one("aws:eks/cluster:Cluster", "pinned-eks-eksCluster"))).toBe(true);
    });

    const releaseError = (releaseVersion: string) =>
        configError({ stack: "staging", overrides: { "eks-platform:cluster": { systemNodeGroup: { releaseVersion } } } }).message;

    it("rejects a release version in the wrong format, naming the key, the value and the rule", () => {
        expect(releaseError("v20251120")).toContain(
            'eks-platform:cluster.systemNodeGroup.releaseVersion: must be an EKS AMI release version <major.minor.patch>-<YYYYMMDD> such as 1.35.6-20260714 (got "v20251120")',
        );
        expect(releaseError("1.34.2-20251340")).toContain(
            "eks-platform:cluster.systemNodeGroup.releaseVersion: must be an EKS AMI release version",
        );
    });

    it("rejects a release of another Kubernetes minor", () => {
        expect(releaseError("1.33.5-20251120")).toContain(
            'eks-platform:cluster.systemNodeGroup.releaseVersion: must be a release of the cluster\'s Kubernetes minor version 1.35 (got "1.33.5-20251120")',
        );
    });
});

describe("nothing from the deployer's environment", () => {
    it("gives the eks component explicit (empty) credential options, so AWS_PROFILE never becomes --profile", () => {
        expect(recorder.one("eks:index:Cluster", "staging-eks").inputs).toMatchObject({
            providerCredentialOpts: {},
            enableConfigMapMutable: false,
        });
    });

    it("pins every Kubernetes provider flag the SDK would read from PULUMI_K8S_*", () => {
        const inputs = recorder.one("pulumi:providers:kubernetes", "staging-k8s").inputs;
        for (const key of Object.keys(PINNED_PROVIDER_FLAGS)) expect(inputs[key], key).toBe("false");
    });

    it("offers people the update-kubeconfig command for the stack's cluster and region", () => {
        expect(stagingCluster.kubeconfigCommand).toBe("aws eks update-kubeconfig --name eks-platform-staging --region eu-west-1");
    });
});
