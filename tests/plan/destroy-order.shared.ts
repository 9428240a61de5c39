// The destroy order, checked on the full plan with the plan's dependency graph (plan/dependencies.ts deletedBefore).
import { expect, it } from "vitest";
import { clusterSweepHookName, vpcSweepHookName } from "../../components/lib/destroy-hooks";
import { DependencyGraph, type PlannedResource, type PlanResult } from "../../plan";

export class DeleteOrder {
    private readonly graph: DependencyGraph;

    constructor(readonly plan: PlanResult) {
        this.graph = new DependencyGraph(plan.resources);
    }

    /** True when `a` is deleted before `b` (a waits for b, transitively). */
    deletedBefore(a: PlannedResource, b: PlannedResource): boolean {
        return this.graph.deletedBefore(a, b);
    }

    all(type: string): PlannedResource[] {
        return this.plan.resources.filter((r) => r.type === type);
    }

    one(type: string, pick: (r: PlannedResource) => boolean = () => true): PlannedResource {
        const found = this.all(type).filter(pick);
        if (found.length !== 1)
            throw new Error(
                `expected one ${type}, found ${found.length}: ${this.all(type)
                    .map((r) => r.name)
                    .join(", ")}`,
            );
        return found[0] as PlannedResource;
    }

    release(chart: RegExp): PlannedResource {
        return this.one("kubernetes:helm.sh/v3:Release", (r) => typeof r.inputs.chart === "string" && chart.test(r.inputs.chart));
    }

    releases(chart: RegExp): PlannedResource[] {
        return this.all("kubernetes:helm.sh/v3:Release").filter((r) => typeof r.inputs.chart === "string" && chart.test(r.inputs.chart));
    }

    /** Names of the resources in `from` that are NOT deleted before `to`. */
    notBefore(from: PlannedResource[], to: PlannedResource): string[] {
        return from.filter((r) => !this.deletedBefore(r, to)).map((r) => `${r.type} ${r.name}`);
    }
}

export const CHARTS = {
    karpenter: /(^|\/)karpenter$/,
    loadBalancerController: /(^|\/)aws-load-balancer-controller$/,
    tigeraOperator: /(^|\/)tigera-operator$/,
    ingressNginx: /(^|\/)ingress-nginx$/,
};

export interface DestroyOrderExpectations {
    clusterName: string;
    /** The CNI mode installs the tigera-operator and a Calico Installation. */
    calico: boolean;
    nginx: boolean;
}

/** The destroy-order assertions of issue 8, as vitest cases over one stack's plan. */
export function destroyOrderCases(getPlan: () => PlanResult, expectations: () => DestroyOrderExpectations): void {
    const order = () => new DeleteOrder(getPlan());
    const cluster = (o: DeleteOrder) => o.one("eks:index:Cluster");
    const vpc = (o: DeleteOrder) => o.one("aws:ec2/vpc:Vpc");
    const systemNodeGroup = (o: DeleteOrder) => o.one("eks:index:ManagedNodeGroup", (r) => /system/.test(r.name));
    const kubernetesResources = (o: DeleteOrder) => o.plan.resources.filter((r) => r.type.startsWith("kubernetes:"));
    const anchor = (o: DeleteOrder) =>
        o.one("random:index/randomId:RandomId", (r) =>
            (r.hooks?.beforeDelete ?? []).includes(clusterSweepHookName(expectations().clusterName)),
        );

    it("NodePools and EC2NodeClasses go before the Karpenter release", () => {
        const o = order();
        const karpenter = o.release(CHARTS.karpenter);
        const pools = o.all("kubernetes:karpenter.sh/v1:NodePool");
        const classes = o.all("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass");
        expect(pools.length).toBeGreaterThan(0);
        expect(classes.length).toBeGreaterThan(0);
        expect(o.notBefore([...pools, ...classes], karpenter)).toEqual([]);
    });

    it("the Karpenter release and the LB controller go before the system node group", () => {
        const o = order();
        expect(o.notBefore([o.release(CHARTS.karpenter), o.release(CHARTS.loadBalancerController)], systemNodeGroup(o))).toEqual([]);
    });

    it("workloads that make load balancers go before the LB controller", () => {
        const o = order();
        const lbc = o.release(CHARTS.loadBalancerController);
        const ingresses = o.all("kubernetes:networking.k8s.io/v1:Ingress");
        const lbServices = o
            .all("kubernetes:core/v1:Service")
            .filter((s) => (s.inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer");
        const nginx = o.releases(CHARTS.ingressNginx);
        expect(nginx).toHaveLength(expectations().nginx ? 1 : 0);
        // Gateways make ALBs/NLBs too; their routes and load balancer settings go with them.
        const gateways = o.plan.resources.filter((r) => /^kubernetes:gateway\.(networking\.k8s\.io|k8s\.aws)\/v1:/.test(r.type));
        expect(gateways.length).toBeGreaterThan(0);
        expect(o.notBefore([...ingresses, ...lbServices, ...nginx, ...gateways], lbc)).toEqual([]);
        // The controller goes before the Gateway API CRDs it serves.
        expect(o.deletedBefore(lbc, o.one("kubernetes:yaml/v2:ConfigFile"))).toBe(true);
    });

    it("the Calico Installation goes before the tigera-operator", () => {
        const o = order();
        const installations = o.all("kubernetes:operator.tigera.io/v1:Installation");
        if (!expectations().calico) {
            expect(installations).toEqual([]);
            return;
        }
        expect(installations).toHaveLength(1);
        expect(o.notBefore(installations, o.release(CHARTS.tigeraOperator))).toEqual([]);
    });

    it("every Kubernetes resource goes before the cluster, the cluster before the subnets and the VPC", () => {
        const o = order();
        const k8s = kubernetesResources(o);
        expect(k8s.length).toBeGreaterThan(0);
        expect(o.notBefore(k8s, cluster(o))).toEqual([]);
        const subnets = o.all("aws:ec2/subnet:Subnet");
        expect(subnets.length).toBeGreaterThan(0);
        expect(subnets.filter((s) => !o.deletedBefore(cluster(o), s)).map((s) => s.name)).toEqual([]);
        expect(o.deletedBefore(cluster(o), vpc(o))).toBe(true);
    });

    it("the plan lists the named sweep hooks: the cluster sweep on the anchor, the safety net on the VPC", () => {
        const o = order();
        const name = expectations().clusterName;
        expect(anchor(o).hooks).toEqual({ beforeDelete: [clusterSweepHookName(name)] });
        expect(vpc(o).hooks).toEqual({ beforeDelete: [vpcSweepHookName(name)] });
        // No other resource carries a delete hook.
        const withHooks = o.plan.resources.filter((r) => r.hooks !== undefined).map((r) => r.urn);
        expect(withHooks.sort()).toEqual([anchor(o).urn, vpc(o).urn].sort());
    });

    it("the sweep runs after every Kubernetes resource and the system node group, before the control plane and the subnets", () => {
        const o = order();
        const a = anchor(o);
        expect(o.notBefore(kubernetesResources(o), a)).toEqual([]);
        expect(o.notBefore(o.all("pulumi:providers:kubernetes"), a)).toEqual([]);
        expect(o.deletedBefore(systemNodeGroup(o), a)).toBe(true);
        expect(o.deletedBefore(a, cluster(o))).toBe(true);
        expect(o.deletedBefore(a, vpc(o))).toBe(true);
        expect(
            o
                .all("aws:ec2/subnet:Subnet")
                .filter((s) => !o.deletedBefore(a, s))
                .map((s) => s.name),
        ).toEqual([]);
        expect(a.inputs.keepers).toEqual({ clusterName: name(), region: expect.any(String), vpcId: expect.stringMatching(/^vpc-/) });
    });

    const name = () => expectations().clusterName;
}
