// The controller policy: equal to upstream's (the pinned version's CloudFormation policies, placeholders
// substituted), and evaluated with a real IAM policy simulator for what it allows and what it refuses.
import * as fs from "node:fs";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import { referencePath } from "../helpers/reference";
import { upstreamControllerPolicies } from "../helpers/upstream-iam";
import {
    CONTROLLER_POLICY_NAMES,
    controllerPolicies,
    controllerPolicy,
    NODE_MANAGED_POLICIES,
    nodeTrustPolicy,
    type ControllerPolicyScope,
} from "../../components/karpenter/iam";
import { interruptionQueuePolicy } from "../../components/karpenter/interruption";
import type { PolicyDocument } from "../../components/lib/iam";

// The upstream getting-started template (downloadable, sha256-pinned): its controller policies are compared with ours.
const CLOUDFORMATION = referencePath("karpenter-v1.14.1/cloudformation.yaml") ?? "";
const hasReference = CLOUDFORMATION !== "";

const ACCOUNT = "123456789012";
const OTHER_ACCOUNT = "210987654321";
const scope: ControllerPolicyScope = {
    partition: "aws",
    region: "eu-west-1",
    accountId: ACCOUNT,
    clusterName: "eks-platform-dev",
    nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/karpenter-node-7f3a`,
    queueArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:eks-platform-dev`,
};
const OWNED = `kubernetes.io/cluster/${scope.clusterName}`;

/** Upstream's document with the CloudFormation !Sub placeholders replaced by the scope's values. */
function substitute(value: unknown): unknown {
    const text = JSON.stringify(value)
        .replaceAll("${AWS::Partition}", scope.partition)
        .replaceAll("${AWS::Region}", scope.region)
        .replaceAll("${AWS::AccountId}", scope.accountId)
        .replaceAll("${ClusterName}", scope.clusterName)
        .replaceAll("${KarpenterNodeRole.Arn}", scope.nodeRoleArn)
        .replaceAll("${KarpenterInterruptionQueue.Arn}", scope.queueArn);
    return JSON.parse(text) as unknown;
}

describe.skipIf(!hasReference)("controller policy conformance with upstream v1.14.1", () => {
    // Read when the tests run, not when they are collected: the suite is skipped (and must not fail) without it.
    interface UpstreamPolicies {
        policies: Record<string, { PolicyDocument: PolicyDocument }>;
        combined: PolicyDocument;
    }
    let cached: UpstreamPolicies | undefined;
    const load = (): UpstreamPolicies => (cached ??= upstreamControllerPolicies(fs.readFileSync(CLOUDFORMATION, "utf8")));

    it("has exactly upstream's policies", () => {
        expect([...CONTROLLER_POLICY_NAMES].sort()).toEqual(Object.keys(load().policies).sort());
    });

    it.each([...CONTROLLER_POLICY_NAMES])("%s equals upstream's statements (Sid, Action, Resource, Condition)", (name) => {
        const ours = controllerPolicies(scope)[name];
        const theirs = load().policies[name]?.PolicyDocument;
        expect(ours).toEqual(substitute(theirs));
    });

    it("the combined document equals upstream's combined document", () => {
        expect(controllerPolicy(scope)).toEqual(substitute(load().combined));
    });

    it("the node role gets upstream's managed policies and EC2 trust", () => {
        const cfn = fs.readFileSync(CLOUDFORMATION, "utf8");
        const listed = [...cfn.matchAll(/arn:\$\{AWS::Partition\}:iam::aws:policy\/([A-Za-z0-9_]+)/g)].map((m) => m[1]);
        expect([...NODE_MANAGED_POLICIES].sort()).toEqual([...new Set(listed)].sort());
        expect(nodeTrustPolicy("amazonaws.com").Statement).toEqual([
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] },
        ]);
    });
});

type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

async function simulate(
    action: string,
    resource: string,
    contextVariables: Record<string, string | string[]> = {},
    policy: PolicyDocument = controllerPolicy(scope),
): Promise<Decision> {
    const simulation: Simulation = {
        identityPolicies: [{ name: "karpenter-controller", policy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
            principal: `arn:aws:iam::${ACCOUNT}:role/karpenter-controller`,
            action,
            resource: { resource, accountId: ACCOUNT },
            contextVariables: { "aws:RequestedRegion": scope.region, ...contextVariables },
        },
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}

const instance = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0`;
const fleet = `arn:aws:ec2:eu-west-1:${ACCOUNT}:fleet/fleet-0123456789abcdef0`;
const clusterTags = {
    [`aws:RequestTag/${OWNED}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": scope.clusterName,
    "aws:RequestTag/karpenter.sh/nodepool": "general",
};

describe("controller policy under the IAM simulator", () => {
    it("allows RunInstances and CreateFleet only with the cluster's request tags", async () => {
        for (const [action, resource] of [
            ["ec2:RunInstances", instance],
            ["ec2:CreateFleet", fleet],
        ] as const) {
            expect(await simulate(action, resource, clusterTags)).toBe("Allowed");
            expect(await simulate(action, resource, {})).toBe("ImplicitlyDenied");
            // Another cluster's ownership tag, or no nodepool tag, is refused.
            expect(await simulate(action, resource, { ...clusterTags, [`aws:RequestTag/${OWNED}`]: "shared" })).toBe("ImplicitlyDenied");
            expect(
                await simulate(action, resource, {
                    "aws:RequestTag/kubernetes.io/cluster/other": "owned",
                    "aws:RequestTag/eks:eks-cluster-name": "other",
                    "aws:RequestTag/karpenter.sh/nodepool": "x",
                }),
            ).toBe("ImplicitlyDenied");
            const { ["aws:RequestTag/karpenter.sh/nodepool"]: _dropped, ...noPool } = clusterTags;
            void _dropped;
            expect(await simulate(action, resource, noPool)).toBe("ImplicitlyDenied");
        }
    });

    it("allows launching from subnets, security groups and images of the region only", async () => {
        expect(await simulate("ec2:RunInstances", `arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/subnet-0123456789abcdef0`)).toBe("Allowed");
        expect(await simulate("ec2:RunInstances", "arn:aws:ec2:eu-west-1::image/ami-0123456789abcdef0")).toBe("Allowed");
        expect(await simulate("ec2:RunInstances", `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-0123456789abcdef0`)).toBe(
            "ImplicitlyDenied",
        );
    });

    it("uses launch templates only when they carry the cluster's tags", async () => {
        const lt = `arn:aws:ec2:eu-west-1:${ACCOUNT}:launch-template/lt-0123456789abcdef0`;
        expect(
            await simulate("ec2:RunInstances", lt, {
                [`aws:ResourceTag/${OWNED}`]: "owned",
                "aws:ResourceTag/karpenter.sh/nodepool": "general",
            }),
        ).toBe("Allowed");
        expect(await simulate("ec2:RunInstances", lt, { "aws:ResourceTag/karpenter.sh/nodepool": "general" })).toBe("ImplicitlyDenied");
    });

    it("terminates only instances of this cluster's NodePools", async () => {
        expect(
            await simulate("ec2:TerminateInstances", instance, {
                [`aws:ResourceTag/${OWNED}`]: "owned",
                "aws:ResourceTag/karpenter.sh/nodepool": "general",
            }),
        ).toBe("Allowed");
        expect(await simulate("ec2:TerminateInstances", instance, { [`aws:ResourceTag/${OWNED}`]: "owned" })).toBe("ImplicitlyDenied");
        expect(await simulate("ec2:TerminateInstances", instance, {})).toBe("ImplicitlyDenied");
    });

    it("tags existing instances only with Name, karpenter.sh/nodeclaim and eks:eks-cluster-name", async () => {
        const owned = { [`aws:ResourceTag/${OWNED}`]: "owned", "aws:ResourceTag/karpenter.sh/nodepool": "general" };
        expect(await simulate("ec2:CreateTags", instance, { ...owned, "aws:TagKeys": ["karpenter.sh/nodeclaim", "Name"] })).toBe("Allowed");
        expect(await simulate("ec2:CreateTags", instance, { ...owned, "aws:TagKeys": ["karpenter.sh/nodepool"] })).toBe("ImplicitlyDenied");
    });

    it("passes only the node role, and only to EC2", async () => {
        expect(await simulate("iam:PassRole", scope.nodeRoleArn, { "iam:PassedToService": "ec2.amazonaws.com" })).toBe("Allowed");
        expect(await simulate("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`, { "iam:PassedToService": "ec2.amazonaws.com" })).toBe(
            "ImplicitlyDenied",
        );
        expect(await simulate("iam:PassRole", scope.nodeRoleArn, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe(
            "ImplicitlyDenied",
        );
    });

    it("reads and deletes messages only on its interruption queue, and never sends", async () => {
        for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueUrl"]) {
            expect(await simulate(action, scope.queueArn)).toBe("Allowed");
            expect(await simulate(action, `arn:aws:sqs:eu-west-1:${ACCOUNT}:another-queue`)).toBe("ImplicitlyDenied");
        }
        expect(await simulate("sqs:SendMessage", scope.queueArn)).toBe("ImplicitlyDenied");
        expect(await simulate("sqs:PurgeQueue", scope.queueArn)).toBe("ImplicitlyDenied");
    });

    it("manages only instance profiles it created for this cluster and region", async () => {
        const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/eks-platform-dev_1234`;
        const create = {
            [`aws:RequestTag/${OWNED}`]: "owned",
            "aws:RequestTag/eks:eks-cluster-name": scope.clusterName,
            "aws:RequestTag/topology.kubernetes.io/region": scope.region,
            "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "default",
        };
        expect(await simulate("iam:CreateInstanceProfile", profile, create)).toBe("Allowed");
        expect(
            await simulate("iam:CreateInstanceProfile", profile, {
                ...create,
                "aws:RequestTag/topology.kubernetes.io/region": "us-east-1",
            }),
        ).toBe("ImplicitlyDenied");
        const owned = {
            [`aws:ResourceTag/${OWNED}`]: "owned",
            "aws:ResourceTag/topology.kubernetes.io/region": scope.region,
            "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "default",
        };
        expect(await simulate("iam:DeleteInstanceProfile", profile, owned)).toBe("Allowed");
        expect(await simulate("iam:AddRoleToInstanceProfile", profile, {})).toBe("ImplicitlyDenied");
        expect(await simulate("iam:DeleteInstanceProfile", `arn:aws:iam::${OTHER_ACCOUNT}:instance-profile/x`, owned)).toBe(
            "ImplicitlyDenied",
        );
    });

    it("describes only its own cluster, and reads EC2 only in its region", async () => {
        expect(await simulate("eks:DescribeCluster", `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/${scope.clusterName}`)).toBe("Allowed");
        expect(await simulate("eks:DescribeCluster", `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/other`)).toBe("ImplicitlyDenied");
        expect(await simulate("ec2:DescribeInstanceTypes", "*")).toBe("Allowed");
        expect(await simulate("ec2:DescribeInstanceTypes", "*", { "aws:RequestedRegion": "us-east-1" })).toBe("ImplicitlyDenied");
    });

    it("grants nothing beyond upstream: no IAM writes on roles, no deleting other resources", async () => {
        expect(await simulate("iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/x`)).toBe("ImplicitlyDenied");
        expect(await simulate("iam:AttachRolePolicy", scope.nodeRoleArn)).toBe("ImplicitlyDenied");
        expect(await simulate("ec2:DeleteVolume", `arn:aws:ec2:eu-west-1:${ACCOUNT}:volume/vol-0123456789abcdef0`)).toBe(
            "ImplicitlyDenied",
        );
    });

    it("the queue policy lets EventBridge send and denies every request without TLS", async () => {
        const queuePolicy = interruptionQueuePolicy(scope.queueArn);
        const run = async (principal: string, secure: string, identity: PolicyDocument) => {
            const result = await runSimulation(
                {
                    identityPolicies: [{ name: "identity", policy: identity }],
                    serviceControlPolicies: [],
                    resourceControlPolicies: [],
                    resourcePolicy: queuePolicy,
                    request: {
                        principal,
                        action: "sqs:ReceiveMessage",
                        resource: { resource: scope.queueArn, accountId: ACCOUNT },
                        contextVariables: { "aws:SecureTransport": secure },
                    },
                },
                {},
            );
            if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
            return result.overallResult;
        };
        const controller = controllerPolicy(scope);
        expect(await run(`arn:aws:iam::${ACCOUNT}:role/karpenter-controller`, "true", controller)).toBe("Allowed");
        expect(await run(`arn:aws:iam::${ACCOUNT}:role/karpenter-controller`, "false", controller)).toBe("ExplicitlyDenied");
        expect(queuePolicy.Statement[0]).toMatchObject({
            Effect: "Allow",
            Action: "sqs:SendMessage",
            Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
        });
    });
});
