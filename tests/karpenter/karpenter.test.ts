// The Karpenter component under the mock runtime: what it declares, with which inputs, and the dependency edges that
// order a destroy (NodePools and EC2NodeClasses before the release, the release after the system node group).
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { controllerPolicies, INTERRUPTION_EVENTS, Karpenter } from "../../components/karpenter";
import { MOCK_ACCOUNT_ID, platformConfigFor, settle, setupMocks, type PlannedResource } from "../../plan";
import { platformContextFor } from "../helpers/stand-ins";

const { recorder } = setupMocks("prod");

const T = {
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policy: "aws:iam/policy:Policy",
    accessEntry: "aws:eks/accessEntry:AccessEntry",
    association: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    release: "kubernetes:helm.sh/v3:Release",
    nodePool: "kubernetes:karpenter.sh/v1:NodePool",
    nodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
} as const;

function build(stack: "dev" | "prod") {
    const config = platformConfigFor(stack);
    const ctx = platformContextFor(config, `${stack}-`);
    const karpenter = new Karpenter(`${stack}-karpenter`, {
        ctx: { ...ctx, cluster: { ...ctx.cluster, clusterSecurityGroupId: pulumi.output("sg-0123456789abcdef0") } },
        config: config.karpenter,
        nodeSettings: config.cluster.nodeSettings,
        maxPods: 110,
    });
    return { config, karpenter };
}

const built = { prod: build("prod"), dev: build("dev") };

const resolve = <T>(output: pulumi.Output<T>): Promise<T> => (output as unknown as { promise(): Promise<T> }).promise();
/** What the mocks answered for the names and ARNs the specs embed. */
const actual: Record<string, { nodeRoleName: string; nodeRoleArn: string; queueArn: string; queueName: string }> = {};

beforeAll(async () => {
    await settle();
    for (const [stack, { karpenter }] of Object.entries(built)) {
        actual[stack] = {
            nodeRoleName: await resolve(karpenter.nodeRole.name),
            nodeRoleArn: await resolve(karpenter.nodeRole.arn),
            queueArn: await resolve(karpenter.interruptionQueue.arn),
            queueName: await resolve(karpenter.interruptionQueue.name),
        };
    }
});
const got = (stack: string) => {
    const a = actual[stack];
    if (!a) throw new Error(`no outputs for ${stack}`);
    return a;
};

const mine = (stack: string, type: string): PlannedResource[] =>
    recorder.byType(type).filter((r) => r.name.startsWith(`${stack}-karpenter`));
const one = (stack: string, type: string, suffix = ""): PlannedResource => {
    const found = mine(stack, type).filter((r) => r.name === `${stack}-karpenter${suffix}`);
    if (found.length !== 1)
        throw new Error(
            `expected one ${type} ${stack}-karpenter${suffix}, found ${mine(stack, type)
                .map((r) => r.name)
                .join(", ")}`,
        );
    return found[0] as PlannedResource;
};
const json = (value: unknown): unknown => JSON.parse(String(value)) as unknown;

describe.each(["dev", "prod"] as const)("Karpenter component (%s)", (stack) => {
    const { config } = built[stack];

    it("is one component and parents every child to it", () => {
        const component = recorder.one("eks-platform:karpenter:Karpenter", `${stack}-karpenter`);
        const children = recorder.resources.filter((r) => r.name.startsWith(`${stack}-karpenter-`) || r.name === `${stack}-karpenter`);
        for (const child of children.filter((r) => r.type !== "eks-platform:karpenter:Karpenter"))
            expect(child.parent, child.name).toBe(component.urn);
    });

    it("makes the interruption queue as upstream does: named after the cluster, 300 s, SQS-managed encryption, TLS only", () => {
        const queue = one(stack, T.queue, "-interruption");
        expect(queue.inputs).toMatchObject({ name: config.clusterName, messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
        const policy = json(one(stack, T.queuePolicy, "-interruption").inputs.policy) as {
            Statement: { Effect: string; Condition?: unknown }[];
        };
        expect(policy.Statement).toContainEqual(
            expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        );
    });

    it("routes every upstream interruption event to the queue", () => {
        const rules = mine(stack, T.rule);
        expect(rules.map((r) => json(r.inputs.eventPattern))).toEqual(
            INTERRUPTION_EVENTS.map((e) => ({ source: [e.source], "detail-type": [e.detailType] })),
        );
        const queue = one(stack, T.queue, "-interruption");
        const targets = mine(stack, T.target);
        expect(targets).toHaveLength(INTERRUPTION_EVENTS.length);
        for (const target of targets) {
            expect(target.inputs.arn).toBe(got(stack).queueArn);
            expect(target.dependencies).toContain(queue.urn);
        }
    });

    it("gives the nodes an EC2 role with upstream's four managed policies and an EC2_LINUX access entry", () => {
        const role = one(stack, T.role, "-node");
        expect(json(role.inputs.assumeRolePolicy)).toMatchObject({
            Statement: [{ Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] }],
        });
        const policies = mine(stack, T.attachment)
            .filter((a) => a.name.startsWith(`${stack}-karpenter-node-`))
            .map((a) => String(a.inputs.policyArn));
        expect(policies.sort()).toEqual(
            ["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonSSMManagedInstanceCore"].map(
                (p) => `arn:aws:iam::aws:policy/${p}`,
            ),
        );
        const entry = one(stack, T.accessEntry, "-node");
        expect(entry.inputs).toMatchObject({ clusterName: config.clusterName, type: "EC2_LINUX" });
        expect(entry.dependencies).toContain(role.urn);
        // No instance profile resource: Karpenter v1 creates it from spec.role.
        expect(mine(stack, "aws:iam/instanceProfile:InstanceProfile")).toEqual([]);
    });

    it("binds the controller role to the chart's service account through Pod Identity, carrying upstream's six policies", () => {
        const association = one(stack, T.association, "-controller-pod-identity");
        expect(association.inputs).toMatchObject({
            clusterName: config.clusterName,
            namespace: config.karpenter.namespace,
            serviceAccount: config.karpenter.serviceAccount,
        });
        const agent = recorder.one("aws:eks/addon:Addon", `${stack}-pod-identity-agent`);
        expect(association.dependencies).toContain(agent.urn);
        const trust = json(one(stack, T.role, "-controller-role").inputs.assumeRolePolicy) as {
            Statement: { Principal: unknown; Condition: { StringEquals: Record<string, string> } }[];
        };
        expect(trust.Statement[0]?.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
        expect(trust.Statement[0]?.Condition.StringEquals).toMatchObject({
            "aws:RequestTag/kubernetes-namespace": config.karpenter.namespace,
            "aws:RequestTag/kubernetes-service-account": config.karpenter.serviceAccount,
            "aws:RequestTag/eks-cluster-name": config.clusterName,
        });
        const expected = controllerPolicies({
            partition: "aws",
            region: config.region,
            accountId: MOCK_ACCOUNT_ID,
            clusterName: config.clusterName,
            nodeRoleArn: got(stack).nodeRoleArn,
            queueArn: got(stack).queueArn,
        });
        for (const [name, document] of Object.entries(expected)) {
            expect(json(one(stack, T.policy, `-${name}`).inputs.policy), name).toEqual(document);
            expect(one(stack, T.attachment, `-${name}`).dependencies).toContain(one(stack, T.role, "-controller-role").urn);
        }
    });

    it("installs karpenter-crd and karpenter as pinned OCI releases on the cluster's provider", () => {
        const crd = one(stack, T.release, "-crd");
        const release = one(stack, T.release);
        expect(crd.inputs).toMatchObject({
            name: "karpenter-crd",
            chart: "oci://public.ecr.aws/karpenter/karpenter-crd",
            version: config.karpenter.chartVersion,
            namespace: "kube-system",
        });
        expect(release.inputs).toMatchObject({
            name: "karpenter",
            chart: "oci://public.ecr.aws/karpenter/karpenter",
            version: "1.14.1",
            namespace: "kube-system",
            skipCrds: true,
        });
        expect(release.provider).toContain(`${stack}-k8s`);
        expect(crd.provider).toContain(`${stack}-k8s`);
        const values = release.inputs.values as Record<string, unknown>;
        expect(values).toMatchObject({
            replicas: config.karpenter.replicas,
            podDisruptionBudget: { maxUnavailable: 1 },
            serviceAccount: { create: true, name: "karpenter", annotations: {} },
            settings: { clusterName: config.clusterName, interruptionQueue: config.clusterName },
            tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
            affinity: {
                nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                        nodeSelectorTerms: [{ matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] }],
                    },
                },
            },
        });
    });

    it("orders the release after the CRDs, the system node group, the Pod Identity association and the controller policies", () => {
        const release = one(stack, T.release);
        expect(recorder.dependsOn(release, one(stack, T.release, "-crd"))).toBe(true);
        expect(recorder.dependsOn(release, recorder.one("aws:eks/nodeGroup:NodeGroup", `${stack}-system`))).toBe(true);
        expect(recorder.dependsOn(release, one(stack, T.association, "-controller-pod-identity"))).toBe(true);
        for (const attachment of mine(stack, T.attachment).filter((a) => !a.name.includes("-node-")))
            expect(recorder.dependsOn(release, attachment), attachment.name).toBe(true);
        expect(recorder.dependsOn(one(stack, T.release, "-crd"), recorder.one("aws:eks/nodeGroup:NodeGroup", `${stack}-system`))).toBe(
            true,
        );
    });

    it("applies every EC2NodeClass and NodePool after the release (and each pool after its class)", () => {
        const release = one(stack, T.release);
        const classes = mine(stack, T.nodeClass);
        const pools = mine(stack, T.nodePool);
        expect(classes.map((c) => (c.inputs.metadata as { name: string }).name)).toEqual(config.karpenter.nodeClasses.map((c) => c.name));
        for (const r of [...classes, ...pools]) {
            expect(r.dependencies, r.name).toContain(release.urn);
            expect(r.provider).toContain(`${stack}-k8s`);
        }
        for (const pool of pools) {
            const className = (pool.inputs.spec as { template: { spec: { nodeClassRef: { name: string } } } }).template.spec.nodeClassRef
                .name;
            expect(pool.dependencies).toContain(one(stack, T.nodeClass, `-nodeclass-${className}`).urn);
        }
        // The node role's access entry outlives the nodes.
        for (const c of classes) expect(recorder.dependsOn(c, one(stack, T.accessEntry, "-node"))).toBe(true);
    });

    it("fills each EC2NodeClass with the node role, discovery selectors, IMDSv2 hop limit 1, encrypted gp3 and nodeadm user data", () => {
        for (const c of mine(stack, T.nodeClass)) {
            const spec = c.inputs.spec as Record<string, unknown>;
            expect(spec).toMatchObject({
                role: got(stack).nodeRoleName,
                amiSelectorTerms: [{ alias: config.karpenter.amiAlias }],
                subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": config.clusterName } }],
                securityGroupSelectorTerms: [{ id: "sg-0123456789abcdef0" }],
                metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        rootVolume: true,
                        ebs: { volumeType: "gp3", encrypted: true, volumeSize: `${config.karpenter.nodeClasses[0]?.volumeSizeGiB}Gi` },
                    },
                ],
                kubelet: { maxPods: 110 },
            });
            expect(String(spec.userData)).toContain("Content-Type: application/node.eks.aws");
            expect(String(spec.userData)).toContain(`containerLogMaxSize: ${config.cluster.nodeSettings.containerLogMaxSize}`);
        }
    });
});

describe("prod's pools", () => {
    it("splits the on-demand baseline from its derived spot overflow by weight and scaled limits", () => {
        const pools = Object.fromEntries(
            mine("prod", T.nodePool).map((p) => [(p.inputs.metadata as { name: string }).name, p.inputs.spec as Record<string, unknown>]),
        );
        expect(Object.keys(pools).sort()).toEqual(["baseline", "baseline-spot", "payments", "platform"]);
        expect(pools.baseline).toMatchObject({ weight: 100, limits: { cpu: "400", memory: "1600Gi" } });
        expect(pools["baseline-spot"]).toMatchObject({ weight: 10, limits: { cpu: "600", memory: "2400Gi" } });
        const capacity = (spec: Record<string, unknown> | undefined) =>
            (spec?.template as { spec: { requirements: { key: string; values?: string[] }[] } }).spec.requirements.find(
                (r) => r.key === "karpenter.sh/capacity-type",
            )?.values;
        expect(capacity(pools.baseline)).toEqual(["on-demand"]);
        expect(capacity(pools["baseline-spot"])).toEqual(["spot"]);
        expect(pools.payments).toMatchObject({
            template: {
                spec: { taints: [{ key: "eks-platform/team", value: "payments", effect: "NoSchedule" }] },
                metadata: { labels: { "eks-platform/team": "payments" } },
            },
        });
        for (const spec of Object.values(pools)) {
            const budgets = (spec.disruption as { budgets: { schedule?: string }[] }).budgets;
            expect(budgets.some((b) => b.schedule !== undefined)).toBe(true);
        }
    });
});

describe("the platform NodePool (issue 11, item 10)", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every stack gets an on-demand pool, tainted and labelled for the platform's stateful workloads`, () => {
            const platform = mine(stack, T.nodePool).find((p) => (p.inputs.metadata as { name: string }).name === "platform");
            expect(platform, "no platform NodePool").toBeDefined();
            const spec = platform?.inputs.spec as {
                template: {
                    metadata: { labels: Record<string, string> };
                    spec: { requirements: { key: string; values?: string[] }[]; taints: unknown[] };
                };
            };
            expect(spec.template.spec.requirements).toContainEqual({
                key: "karpenter.sh/capacity-type",
                operator: "In",
                values: ["on-demand"],
            });
            expect(spec.template.metadata.labels).toEqual({ "eks-platform/node-group": "platform" });
            expect(spec.template.spec.taints).toEqual([{ key: "eks-platform/node-group", value: "platform", effect: "NoSchedule" }]);
        });
    }
});
