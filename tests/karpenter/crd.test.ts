// Emitted NodePools and EC2NodeClasses against the pinned Karpenter version's CRDs (OpenAPI schema with ajv, plus
// the CEL rules that matter here checked by hand), the interruption rules against upstream's template, and the Helm
// values against the chart's values.yaml.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { unknownValuePaths } from "../helpers/chart-values";
import { crdValidator as crdValidatorOf } from "../helpers/crd";
import { referencePath } from "../helpers/reference";
import { parse as parseYaml } from "yaml";
import {
    ec2NodeClassObject,
    eventPattern,
    INTERRUPTION_EVENTS,
    karpenterValues,
    nodePoolObject,
    QUEUE_RETENTION_SECONDS,
    type KubernetesObject,
    type NodeClassContext,
} from "../../components/karpenter";
import { effectiveNodePools } from "../../stacks/schema/karpenter";
import { listStacks, platformConfigFor } from "../../plan";

const REFERENCE = path.dirname(referencePath("karpenter-v1.14.1") ?? "/absent/karpenter-v1.14.1");
const KARPENTER = path.join(REFERENCE, "karpenter-v1.14.1");
const hasReference = fs.existsSync(KARPENTER);
if (!hasReference) console.warn(`karpenter CRD conformance: ${KARPENTER} is absent (a user's clone): schema checks are skipped`);

const crdValidator = (file: string): ValidateFunction => crdValidatorOf(path.join(KARPENTER, "crds", file), "v1");

/** CEL rules of the v1 CRDs that ajv cannot run, for the fields this platform sets. */
function celProblems(object: KubernetesObject<Record<string, unknown>>): string[] {
    const problems: string[] = [];
    const spec = object.spec as Record<string, unknown>;
    if (object.kind === "NodePool") {
        const template = spec.template as {
            metadata?: { labels?: Record<string, string> };
            spec: { requirements: { key: string; operator: string; values?: string[] }[] };
        };
        for (const r of template.spec.requirements) {
            if (r.operator === "In" && (r.values ?? []).length === 0) problems.push(`requirement ${r.key}: In needs values`);
            if (["Gt", "Lt", "Gte", "Lte"].includes(r.operator) && !(r.values?.length === 1 && /^\d+$/.test(r.values[0] ?? "")))
                problems.push(`requirement ${r.key}: ${r.operator} needs one integer`);
            if (r.key === "karpenter.sh/nodepool" || r.key === "kubernetes.io/hostname")
                problems.push(`requirement key ${r.key} is restricted`);
        }
        for (const key of Object.keys(template.metadata?.labels ?? {})) {
            const domain = key.split("/")[0] ?? "";
            if (key.includes("/") && (domain.endsWith("karpenter.sh") || domain.endsWith("karpenter.k8s.aws")))
                problems.push(`label ${key} is restricted`);
        }
        const budgets = (spec.disruption as { budgets: { schedule?: string; duration?: string }[] }).budgets;
        if (!budgets.every((b) => (b.schedule === undefined) === (b.duration === undefined)))
            problems.push("'schedule' must be set with 'duration'");
    } else {
        const terms = spec.amiSelectorTerms as Record<string, unknown>[];
        for (const t of terms) {
            if (typeof t.alias === "string") {
                if (!/^[a-zA-Z0-9]+@.+$/.test(t.alias)) problems.push("'alias' is improperly formatted");
                if (Object.keys(t).length > 1) problems.push("'alias' is mutually exclusive");
            }
            if (t.id !== undefined && Object.keys(t).length > 1) problems.push("'id' is mutually exclusive");
        }
        if (!terms.some((t) => "alias" in t) && spec.amiFamily === undefined) problems.push("amiFamily is required without an alias");
        if ((spec.subnetSelectorTerms as unknown[]).length === 0) problems.push("subnetSelectorTerms cannot be empty");
        if ((spec.securityGroupSelectorTerms as unknown[]).length === 0) problems.push("securityGroupSelectorTerms cannot be empty");
        if (spec.role === "") problems.push("role cannot be empty");
        if (Object.keys((spec.tags as Record<string, string> | undefined) ?? {}).includes("eks:eks-cluster-name"))
            problems.push("restricted tag eks:eks-cluster-name");
    }
    return problems;
}

const context = (stack: string): NodeClassContext => {
    const config = platformConfigFor(stack);
    return {
        clusterName: config.clusterName,
        clusterSecurityGroupId: "sg-0123456789abcdef0",
        nodeRoleName: "karpenter-node-0a1b2c3",
        amiAlias: config.karpenter.amiAlias,
        nodeSettings: config.cluster.nodeSettings,
        maxPods: 110,
    };
};

describe.skipIf(!hasReference)("emitted objects against the v1.14.1 CRDs", () => {
    const nodePoolSchema = hasReference ? crdValidator("karpenter.sh_nodepools.yaml") : undefined;
    const nodeClassSchema = hasReference ? crdValidator("karpenter.k8s.aws_ec2nodeclasses.yaml") : undefined;
    const check = (validate: ValidateFunction | undefined, object: unknown) => {
        if (!validate) throw new Error("no schema");
        const ok = validate(object);
        return {
            ok,
            errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`),
            cel: celProblems(object as KubernetesObject<Record<string, unknown>>),
        };
    };

    describe.each(listStacks())("stack %s", (stack) => {
        const config = platformConfigFor(stack);
        it.each(effectiveNodePools(config.karpenter.nodePools).map((p) => [p.name, p] as const))("NodePool %s validates", (_name, pool) => {
            const result = check(nodePoolSchema, nodePoolObject(pool));
            expect(result.errors).toEqual([]);
            expect(result.cel).toEqual([]);
            expect(result.ok).toBe(true);
        });
        it.each(config.karpenter.nodeClasses.map((c) => [c.name, c] as const))("EC2NodeClass %s validates", (_name, nodeClass) => {
            const result = check(nodeClassSchema, ec2NodeClassObject(nodeClass, context(stack)));
            expect(result.errors).toEqual([]);
            expect(result.cel).toEqual([]);
            expect(result.ok).toBe(true);
        });
    });

    it("a custom AMI by id, name or tags validates (with amiFamily AL2023)", () => {
        const base = platformConfigFor("prod").karpenter.nodeClasses[0];
        if (!base) throw new Error("no node class");
        for (const amiSelector of [
            { id: "ami-0123456789abcdef0" },
            { name: "my-al2023-*", owner: "self" },
            { tags: { "platform/ami": "hardened" } },
        ]) {
            const object = ec2NodeClassObject({ ...base, amiSelector }, context("prod"));
            const result = check(nodeClassSchema, object);
            expect(result.errors).toEqual([]);
            expect(result.cel).toEqual([]);
            expect(object.spec.amiFamily).toBe("AL2023");
        }
    });

    describe("hand-made bad specs are rejected", () => {
        const pool = effectiveNodePools(platformConfigFor("prod").karpenter.nodePools)[0];
        if (!pool) throw new Error("no pool");
        const good = nodePoolObject(pool);
        const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

        it("an unknown capacity-type operator", () => {
            const bad = clone(good);
            (bad.spec.template.spec.requirements[0] as { operator: string }).operator = "Between";
            expect(check(nodePoolSchema, bad).ok).toBe(false);
        });
        it("a weight above 100", () => {
            const bad = clone(good);
            bad.spec.weight = 1000;
            expect(check(nodePoolSchema, bad).ok).toBe(false);
        });
        it("a budget percentage above 100% and a malformed duration", () => {
            const bad = clone(good);
            bad.spec.disruption.budgets = [{ nodes: "150%" }, { nodes: "0", schedule: "@daily", duration: "1d" }];
            expect(check(nodePoolSchema, bad).errors.length).toBeGreaterThanOrEqual(2);
        });
        it("a misspelled field (limit instead of limits)", () => {
            const bad = clone(good) as unknown as { spec: Record<string, unknown> };
            bad.spec.limit = bad.spec.limits;
            expect(check(nodePoolSchema, bad).ok).toBe(false);
        });
        it("a schedule without duration (CEL)", () => {
            const bad = clone(good);
            bad.spec.disruption.budgets = [{ nodes: "0", schedule: "0 8 * * mon-fri" }];
            expect(check(nodePoolSchema, bad).cel).toContain("'schedule' must be set with 'duration'");
        });
        it("an EC2NodeClass without a role type, a hop limit of 0 and an unknown volume type", () => {
            const nodeClass = platformConfigFor("prod").karpenter.nodeClasses[0];
            if (!nodeClass) throw new Error("no class");
            const bad = clone(ec2NodeClassObject(nodeClass, context("prod"))) as unknown as { spec: Record<string, unknown> };
            (bad.spec.metadataOptions as Record<string, unknown>).httpPutResponseHopLimit = 0;
            ((bad.spec.blockDeviceMappings as Record<string, unknown>[])[0]?.ebs as Record<string, unknown>).volumeType = "gp4";
            bad.spec.role = 42;
            expect(check(nodeClassSchema, bad).errors.length).toBeGreaterThanOrEqual(3);
        });
        it("an alias combined with an id (CEL)", () => {
            const nodeClass = platformConfigFor("prod").karpenter.nodeClasses[0];
            if (!nodeClass) throw new Error("no class");
            const bad = clone(ec2NodeClassObject(nodeClass, context("prod")));
            bad.spec.amiSelectorTerms = [{ alias: "al2023@v20251120", id: "ami-0123456789abcdef0" } as unknown as { alias: string }];
            expect(check(nodeClassSchema, bad).cel).toContain("'alias' is mutually exclusive");
        });
    });
});

describe.skipIf(!hasReference)("interruption handling against upstream's CloudFormation template", () => {
    const cfn = hasReference
        ? (parseYaml(fs.readFileSync(path.join(KARPENTER, "cloudformation.yaml"), "utf8"), {
              customTags: [
                  { tag: "!Sub", resolve: (v: string) => v },
                  { tag: "!GetAtt", resolve: (v: string) => v },
                  { tag: "!Ref", resolve: (v: string) => v },
              ],
          }) as {
              Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
          })
        : undefined;

    it("has one rule per upstream EventBridge rule, with the same source and detail-type", () => {
        const upstream = Object.values(cfn?.Resources ?? {})
            .filter((r) => r.Type === "AWS::Events::Rule")
            .map((r) => r.Properties.EventPattern as { source: string[]; "detail-type": string[] });
        expect(INTERRUPTION_EVENTS.map(eventPattern)).toEqual(expect.arrayContaining(upstream));
        expect(INTERRUPTION_EVENTS).toHaveLength(upstream.length);
    });

    it("keeps messages as long as upstream's queue and encrypts them the same way", () => {
        const queue = Object.values(cfn?.Resources ?? {}).find((r) => r.Type === "AWS::SQS::Queue");
        expect(queue?.Properties.MessageRetentionPeriod).toBe(QUEUE_RETENTION_SECONDS);
        expect(queue?.Properties.SqsManagedSseEnabled).toBe(true);
    });
});

describe.skipIf(!hasReference)("helm values against the chart's values.yaml", () => {
    const chart = hasReference
        ? (parseYaml(fs.readFileSync(path.join(REFERENCE, "chart-values", "karpenter-1.14.1.yaml"), "utf8")) as Record<string, unknown>)
        : {};
    const values = karpenterValues({
        clusterName: "c",
        interruptionQueueName: "c",
        serviceAccount: "karpenter",
        replicas: 2,
        resources: { cpu: "1", memory: "1Gi" },
    });

    it("sets only keys the chart knows", () => {
        expect(unknownValuePaths(values, chart)).toEqual([]);
    });

    it("keeps the chart's rule that the controller never runs on a Karpenter node", () => {
        expect(values.affinity.nodeAffinity).toEqual((chart.affinity as { nodeAffinity: unknown }).nodeAffinity);
    });
});
