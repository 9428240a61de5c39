// The placement check (plan/placement.ts): each finding on a hand-made plan that has the problem, and none on the
// same plan without it; its scheduling predicates; and the shipped stacks (no finding in prod).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { KARPENTER_CHART, karpenterValues } from "../../components/karpenter/values";
import { LBC_CHART, loadBalancerControllerValues } from "../../components/ingress/values";
import { lokiValues, fluentBitValues } from "../../components/observability/log-values";
import { zoneSpread } from "../../components/observability/values";
import { EVERY_NODE_TOLERATIONS, PLATFORM_POOL_PLACEMENT, SYSTEM_PLACEMENT } from "../../components/lib/placement";
import {
    checkPlacement,
    domainSatisfies,
    platformConfigFor,
    REPO_ROOT,
    stackFile,
    tolerates,
    type FindingKind,
    type PlannedResource,
    type PlanResult,
} from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";
import { managedGroup, nodeClass, nodePool, planOf, release, subnets } from "./placement.fixture";

const kinds = (plan: PlanResult): FindingKind[] => checkPlacement(plan).findings.map((f) => f.kind);
const findings = (plan: PlanResult, kind: FindingKind) => checkPlacement(plan).findings.filter((f) => f.kind === kind);

const karpenter = (replicas: number, cpu = "500m") =>
    release(
        "karpenter",
        KARPENTER_CHART,
        karpenterValues({
            clusterName: "c",
            interruptionQueueName: "c",
            serviceAccount: "karpenter",
            replicas,
            resources: { cpu, memory: "512Mi" },
        }),
    );

const lbc = (replicas: number, cpu: string) => {
    const config = platformConfigFor("dev").ingress;
    const values = loadBalancerControllerValues({
        clusterName: "c",
        region: "eu-west-1",
        vpcId: "vpc-1",
        config: { ...config, loadBalancerController: { ...config.loadBalancerController, replicas } },
        podsRoutableFromVpc: true,
    });
    return release("lbc", LBC_CHART, { ...values, resources: { requests: { cpu, memory: "128Mi" } } });
};

const loki = (replicas: number, placement: { nodeSelector: Record<string, string>; tolerations: unknown[] }, spread = true) => {
    const values = lokiValues({
        region: "eu-west-1",
        buckets: { chunks: "a", ruler: "b" },
        replicas,
        retentionDays: 7,
        requests: { cpu: "250m", memory: "512Mi" },
        storageClassName: "gp3",
        selfMonitoring: false,
        grafanaDashboards: false,
    });
    return release(
        "loki",
        "loki",
        {
            ...values,
            singleBinary: { ...values.singleBinary, ...placement, topologySpreadConstraints: spread ? zoneSpread({ app: "loki" }) : [] },
        },
        "monitoring",
    );
};

const fluentBit = (tolerations: readonly unknown[]) =>
    release(
        "fluent-bit",
        "fluent-bit",
        { ...fluentBitValues({ kind: "loki", url: "http://loki:3100" }, false), tolerations },
        "monitoring",
    );

const nets = subnets();
const platformPool = nodePool({
    name: "platform",
    labels: { "eks-platform/node-group": "platform" },
    taints: [{ key: "eks-platform/node-group", value: "platform", effect: "NoSchedule" }],
});

describe("placement findings: each fails on a bad case and passes on a good one", () => {
    it("no-node: the system placement needs nodes labelled for it", () => {
        const unlabelled = planOf(...nets, ...managedGroup({ labels: {} }), karpenter(1));
        expect(findings(unlabelled, "no-node").map((f) => f.subject)).toEqual(["karpenter/controller"]);
        expect(findings(unlabelled, "no-node")[0]?.message).toMatch(
            /eks-platform\/node-group In \[system\], its nodes have no eks-platform\/node-group label/,
        );
        expect(kinds(planOf(...nets, ...managedGroup(), karpenter(1)))).toEqual([]);
    });

    it("no-node: a pod larger than the largest instance its only pool allows", () => {
        const small = nodePool({ name: "small", sizes: ["large"] });
        const pod = release("lbc", LBC_CHART, { replicaCount: 1, resources: { requests: { cpu: "3", memory: "1Gi" } } });
        const found = findings(planOf(...nets, nodeClass(), small, pod), "no-node");
        expect(found[0]?.message).toMatch(/largest allowed instance \S+\.large has/);
        const big = nodePool({ name: "big" });
        expect(kinds(planOf(...nets, nodeClass(), big, pod))).toEqual([]);
    });

    it("no-node: an architecture the group does not have", () => {
        const pod = release("lbc", LBC_CHART, {
            replicaCount: 1,
            nodeSelector: { "kubernetes.io/arch": "amd64" },
            tolerations: SYSTEM_PLACEMENT.tolerations,
        });
        expect(kinds(planOf(...nets, ...managedGroup({ arm: true }), pod))).toEqual(["no-node"]);
        expect(kinds(planOf(...nets, ...managedGroup({ arm: false, instanceTypes: ["m5.large"] }), pod))).toEqual([]);
    });

    it("daemonset-gap: a DaemonSet that does not tolerate a tainted pool", () => {
        const gap = findings(planOf(...nets, ...managedGroup(), nodeClass(), platformPool, fluentBit([])), "daemonset-gap");
        expect(gap.map((f) => f.message)).toEqual([
            expect.stringMatching(/does not run on managed node group system: does not tolerate CriticalAddonsOnly=true:NoSchedule/),
            expect.stringMatching(/does not run on NodePool platform: does not tolerate eks-platform\/node-group=platform:NoSchedule/),
        ]);
        expect(kinds(planOf(...nets, ...managedGroup(), nodeClass(), platformPool, fluentBit(EVERY_NODE_TOLERATIONS)))).toEqual([]);
    });

    it("overcommit: the pods that can land on the system nodes request more than they hold at the desired or minimum size", () => {
        // Three 700m pods fit one t4g.large each (1800m allocatable with the dev node settings), not all three on one.
        const over = findings(planOf(...nets, ...managedGroup({ desired: 2, min: 1 }), lbc(3, "700m")), "overcommit");
        expect(over.map((f) => f.message)).toEqual([
            expect.stringMatching(/^at its minimum size \(1 nodes\) the pods that can land on it request 2100m CPU/),
        ]);
        expect(kinds(planOf(...nets, ...managedGroup({ desired: 2, min: 2 }), lbc(3, "700m")))).toEqual([]);
    });

    it("spread: more replicas than nodes their required anti-affinity needs (Karpenter never runs on its own nodes)", () => {
        const spread = findings(
            planOf(...nets, ...managedGroup({ desired: 2, min: 2 }), nodeClass(), nodePool({ name: "general" }), karpenter(3)),
            "spread",
        );
        expect(spread[0]?.message).toMatch(/3 replicas must be on different nodes, its node groups have 2/);
        expect(
            kinds(planOf(...nets, ...managedGroup({ desired: 2, min: 2 }), nodeClass(), nodePool({ name: "general" }), karpenter(2))),
        ).toEqual([]);
    });

    it("stateful-spot: a pod with a zonal volume that may run on spot", () => {
        const mixed = nodePool({ name: "general", capacityTypes: ["spot", "on-demand"] });
        const anywhere = loki(1, { nodeSelector: {}, tolerations: [] });
        expect(findings(planOf(...nets, nodeClass(), mixed, anywhere), "stateful-spot")[0]?.message).toMatch(
            /may run on spot capacity \(NodePool general\)/,
        );
        const onDemand = loki(1, { nodeSelector: { "karpenter.sh/capacity-type": "on-demand" }, tolerations: [] });
        expect(kinds(planOf(...nets, nodeClass(), mixed, onDemand))).toEqual([]);
    });

    it("stateful-zones: replicas with zonal volumes and no hard zone spread", () => {
        const placed = { nodeSelector: { ...PLATFORM_POOL_PLACEMENT.nodeSelector }, tolerations: [...PLATFORM_POOL_PLACEMENT.tolerations] };
        expect(kinds(planOf(...nets, nodeClass(), platformPool, loki(2, placed, false)))).toEqual(["stateful-zones"]);
        expect(kinds(planOf(...nets, nodeClass(), platformPool, loki(2, placed, true)))).toEqual([]);
        // A hard zone spread over a pool restricted to one zone still puts both in that zone.
        expect(kinds(planOf(...subnets(["eu-west-1a"]), nodeClass(), platformPool, loki(2, placed, true)))).toEqual(["stateful-zones"]);
    });

    it("undescribed: a release whose chart no component describes", () => {
        expect(kinds(planOf(...nets, ...managedGroup(), release("x", "some-chart", {})))).toEqual(["undescribed"]);
        expect(kinds(planOf(...nets, ...managedGroup(), release("x", "prometheus-operator-crds", {})))).toEqual([]);
    });
});

describe("node groups from the plan", () => {
    it("reads a managed node group once, even with the remote component's aws:eks NodeGroup child beside it", () => {
        const [lt, group] = managedGroup();
        const child = { ...(group as PlannedResource), urn: "urn:child", type: "aws:eks/nodeGroup:NodeGroup", parent: group?.urn };
        const report = checkPlacement(planOf(...nets, lt as PlannedResource, group as PlannedResource, child));
        expect(report.groups.map((g) => g.name)).toEqual(["managed node group system"]);
    });
});

describe("scheduling predicates", () => {
    it("matches tolerations as kube-scheduler does", () => {
        const taint = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" } as const;
        expect(tolerates({ key: "CriticalAddonsOnly", operator: "Exists" }, taint)).toBe(true);
        expect(tolerates({ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoExecute" }, taint)).toBe(false);
        expect(tolerates({ key: "CriticalAddonsOnly", operator: "Equal", value: "false" }, taint)).toBe(false);
        expect(tolerates({ operator: "Exists" }, taint)).toBe(true);
        expect(tolerates({ operator: "Exists", effect: "NoSchedule" }, taint)).toBe(true);
    });

    it("evaluates requirements against a label's values, any value, or its absence", () => {
        expect(domainSatisfies(undefined, { key: "karpenter.sh/nodepool", operator: "DoesNotExist" })).toBe(true);
        expect(domainSatisfies({ values: new Set(["a"]) }, { key: "k", operator: "DoesNotExist" })).toBe(false);
        expect(domainSatisfies({ values: new Set(["a", "b"]) }, { key: "k", operator: "NotIn", values: ["a"] })).toBe(true);
        expect(domainSatisfies({ values: new Set(["a"]) }, { key: "k", operator: "NotIn", values: ["a"] })).toBe(false);
        expect(domainSatisfies({ values: new Set(["4", "7"]) }, { key: "g", operator: "Gt", values: ["5"] })).toBe(true);
        expect(domainSatisfies({ any: true }, { key: "k", operator: "In", values: ["x"] })).toBe(true);
        expect(domainSatisfies(undefined, { key: "k", operator: "In", values: ["x"] })).toBe(false);
    });
});

describe("the shipped stacks", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: every workload has somewhere to run, and the system nodes hold what can land on them`, () => {
            const report = checkPlacement(sharedPlan(stack));
            expect(report.findings).toEqual([]);
            // The platform's stateful pods are on the platform pool's on-demand nodes, nowhere else.
            const stateful = report.workloads.filter((w) => w.zonalVolume);
            expect(stateful.map((w) => w.name)).toEqual(expect.arrayContaining(["kube-prometheus-stack/prometheus", "loki/single-binary"]));
            for (const w of stateful) expect(w.nodeSelector).toEqual(PLATFORM_POOL_PLACEMENT.nodeSelector);
            const system = report.budgets.find((b) => b.group.startsWith("managed node group"));
            expect(system?.workloads).toContain("karpenter/controller");
            expect(system?.workloads.some((w) => w.startsWith("kube-prometheus-stack/") && !w.endsWith("admission-jobs"))).toBe(false);
        });
    }
});

describe("npm run plan: placement findings fail prod, warn elsewhere", () => {
    /** A stack file like the shipped one, with a Karpenter controller too big for a system node. */
    function oversized(stack: string): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "placement-"));
        const doc = parseYaml(fs.readFileSync(stackFile(stack), "utf8")) as { config: Record<string, Record<string, unknown>> };
        doc.config["eks-platform:karpenter"] = {
            ...doc.config["eks-platform:karpenter"],
            controllerResources: { cpu: "2", memory: "1Gi" },
        };
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(file, toYaml(doc));
        return file;
    }
    const plan = (...args: string[]) =>
        spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "run.mjs"), "plan", "--quiet", "--policy=false", ...args], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });

    it("prod: an error, exit 1", () => {
        const run = plan("--stack", "prod", "--config-file", oversized("prod"));
        expect(run.stdout).toMatch(/\[error\] no-node karpenter\/controller: .*needs 2000m CPU/);
        expect(run.status).toBe(1);
    });

    it("staging: a warning, exit 0", () => {
        const run = plan("--stack", "staging", "--config-file", oversized("staging"));
        expect(run.stdout).toMatch(
            /placement eks-platform\/staging \(staging\): \d+ workloads on \d+ node groups and NodePools, [1-9]\d* warnings?/,
        );
        expect(run.status).toBe(0);
    });
});
