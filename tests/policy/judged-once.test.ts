// Rules over a remote @pulumi/eks component and its real child judge each fact once: on the child where the stack
// has it (a real preview; the offline plan's model), else on the component. And the shipped stacks' modeled node
// groups are judged by their subnetIds against the subnets' own properties, with no false violation.
import { unknownCheckingProxy, type PolicyResource, type StackValidationArgs } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { runPolicyPack } from "../../policy/offline";
import { createPolicies } from "../../policy/policies";
import { type PlannedResource, type PlanResult } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";
import { awsEksCluster, childOf, eksCluster, plan, res, subnet } from "./fixtures";

const policy = (name: string) => {
    const found = createPolicies("mandatory").filter((p) => p.name === name);
    expect(found, name).toHaveLength(1);
    return found;
};
const violations = (name: string, resources: PlannedResource[]) => runPolicyPack(plan(resources), { policies: policy(name) });

const badComponent = eksCluster({
    endpointPublicAccess: true,
    endpointPrivateAccess: false,
    encryptionConfigKeyArn: undefined,
    enabledClusterLogTypes: [],
    authenticationMode: "API_AND_CONFIG_MAP",
    version: "1.27",
});
const badChild = awsEksCluster(
    { endpointPublicAccess: true, endpointPrivateAccess: false },
    {
        encryptionConfig: undefined,
        enabledClusterLogTypes: [],
        accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" },
        version: "1.27",
    },
);
const CLUSTER_RULES = [
    "eks-endpoint-not-public",
    "eks-endpoint-private-access",
    "eks-secrets-encryption-kms",
    "eks-control-plane-audit-logging",
    "eks-access-entries-only",
    "eks-kubernetes-version-allowed",
    "protect-stateful-resources",
];

describe("control-plane facts, judged once", () => {
    for (const name of CLUSTER_RULES) {
        it(`${name}: one violation for a component and its child, on the child`, async () => {
            const child = childOf(badComponent, badChild);
            const found = await violations(name, [badComponent, child]);
            expect(found.map((v) => v.urn)).toEqual([child.urn]);
        });

        it(`${name}: the component's inputs where no child is modeled`, async () => {
            expect((await violations(name, [badComponent])).map((v) => v.urn)).toEqual([badComponent.urn]);
        });
    }

    it("judges the child, not the component, where both are there", async () => {
        const good = childOf(badComponent, { ...awsEksCluster(), protect: true });
        for (const name of CLUSTER_RULES) expect(await violations(name, [badComponent, good]), name).toEqual([]);
    });
});

describe("node-group facts, judged once", () => {
    const component = res("eks:index:ManagedNodeGroup", { subnetIds: ["subnet-public-x"], remoteAccess: { ec2SshKey: "ops" } });
    const child = childOf(
        component,
        res("aws:eks/nodeGroup:NodeGroup", { subnetIds: ["subnet-public-x"], remoteAccess: { ec2SshKey: "ops" } }),
    );

    for (const name of ["nodes-no-ssh-access", "nodes-in-private-subnets"]) {
        it(`${name}: one violation for a ManagedNodeGroup and its NodeGroup, on the NodeGroup`, async () => {
            const found = await violations(name, [subnet("public-x", true), component, child]);
            expect(found.map((v) => v.urn)).toEqual([child.urn]);
        });
    }
});

describe("the shipped stacks' node groups", () => {
    const nodeGroupOf = (p: PlanResult) => p.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: the modeled NodeGroup launches into private subnets only, and the rule would see a public one`, async () => {
            const shipped = sharedPlan(stack);
            expect(nodeGroupOf(shipped)).toHaveLength(1);
            expect(await runPolicyPack(shipped, { policies: policy("nodes-in-private-subnets") })).toEqual([]);
            // The same plan with a public subnet of the stack among the NodeGroup's subnetIds.
            const copy = structuredClone(shipped);
            const publicSubnet = copy.resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && /public/.test(r.name));
            const group = nodeGroupOf(copy)[0] as PlannedResource;
            group.inputs.subnetIds = [...(group.inputs.subnetIds as string[]), publicSubnet?.id];
            const found = await runPolicyPack(copy, { policies: policy("nodes-in-private-subnets") });
            expect(found.map((v) => v.message)).toEqual([`node group ${group.name} launches into public subnet ${publicSubnet?.name}`]);
        });
    }

    it("the stacks' public subnets are public by their route to the internet gateway, not only by tag", async () => {
        const copy = structuredClone(sharedPlan("prod"));
        for (const s of copy.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet")) s.inputs.tags = {};
        const publicSubnet = copy.resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && /public/.test(r.name));
        const group = nodeGroupOf(copy)[0] as PlannedResource;
        group.inputs.subnetIds = [publicSubnet?.id];
        expect(await runPolicyPack(copy, { policies: policy("nodes-in-private-subnets") })).toHaveLength(1);
    });
});

describe("unknown values during a real preview", () => {
    const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
    const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";

    it("the stack rules over components and children report nothing and throw nothing for unknown props", async () => {
        const proxied = (type: string, props: Record<string, unknown>, protect = true): PolicyResource => ({
            type,
            props: unknownCheckingProxy(props) as Record<string, unknown>,
            urn: `urn:pulumi:prod::eks-platform::${type}::x`,
            name: "x",
            opts: {
                protect,
                ignoreChanges: [],
                aliases: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                additionalSecretOutputs: [],
            },
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        });
        const resources = [
            proxied("aws:eks/cluster:Cluster", {
                version: UNKNOWN_STRING,
                vpcConfig: UNKNOWN_OBJECT,
                enabledClusterLogTypes: UNKNOWN_ARRAY,
                encryptionConfig: UNKNOWN_ARRAY,
                accessConfig: { authenticationMode: UNKNOWN_STRING },
            }),
            proxied("aws:eks/nodeGroup:NodeGroup", { subnetIds: UNKNOWN_ARRAY, remoteAccess: UNKNOWN_OBJECT }),
            proxied("aws:ec2/subnet:Subnet", { id: UNKNOWN_STRING, tags: UNKNOWN_OBJECT, mapPublicIpOnLaunch: UNKNOWN_STRING }),
        ];
        const args: StackValidationArgs = {
            resources,
            stackTags: new Map(),
            getConfig: <T extends object>() => ({ allowPublicAccess: false, requiredLogTypes: ["audit"], allowedVersions: ["1.34"] }) as T,
            notApplicable: () => {
                throw new Error("not applicable");
            },
        };
        const names = [...CLUSTER_RULES, "nodes-no-ssh-access", "nodes-in-private-subnets"];
        for (const p of createPolicies().filter((x) => names.includes(x.name))) {
            if (!("validateStack" in p)) throw new Error(`${p.name} is not a stack policy`);
            const reported: string[] = [];
            await p.validateStack(args, (m) => reported.push(`${p.name}: ${m}`));
            expect(reported).toEqual([]);
        }
    });
});
