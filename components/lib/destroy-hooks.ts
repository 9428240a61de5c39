// The before-delete hooks that run the sweep (./sweep) during `pulumi destroy --run-program`, and the anchor
// resource that places the main one in the destroy order. See docs/destroying.md for the order and the reasons.
//
// Placement. Pulumi deletes in reverse dependency order, so a hook on resource X runs once everything that depends on
// X is gone and before anything X depends on is deleted. The sweep must run after the Kubernetes resources and their
// controllers are gone (else the LB controller and Karpenter make new things) and before the subnets are deleted
// (leftover load balancers and ENIs block them) — and best before the control plane goes, so nothing Karpenter
// launched still holds the EKS-managed cluster security group. No existing resource sits exactly there:
//  - the @pulumi/eks Cluster is a remote component: hooks bound to it are not passed to its provider process by
//    this SDK/engine generation (pulumi/pulumi#20016 was still open), and a component is deleted only after its
//    children, i.e. after the control plane;
//  - the subnets and the VPC come too late for the load balancers' ENIs (subnet deletion fails first).
// So a small custom resource, the *sweep anchor*, carries the hook: it depends on the eks Cluster (engines since
// pulumi/pulumi#7788 expand a dependency on a remote component to its children for deletes) and on the VPC, and the
// Kubernetes provider and the system node group depend on it. Every Kubernetes resource uses that provider, so the
// destroy runs: Kubernetes resources -> provider and system node group -> anchor (sweep) -> control plane ->
// subnets -> VPC (second, cheap sweep pass as a safety net).
//
// The anchor is a `random.RandomId` whose keepers hold the cluster name, region and VPC id: a delete hook receives
// the resource's old inputs and outputs, so the sweep reads its target from the state being destroyed rather than
// from closures over Outputs. The keepers only change when the cluster or VPC is replaced anyway, and then the
// sweep of the old cluster is exactly what is wanted. A local component would not do: `dependsOn` a childless
// component records no dependency at all.
//
// Delete hooks must be named `ResourceHook` instances and only run under `pulumi destroy --run-program` (and for
// replacements/removals during `pulumi up`); they never run during preview (`onDryRun` is false) nor under mocks.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DEFAULT_SWEEP_TIMEOUT_MS, SweepTimeoutError, sweepCluster, type SweepOptions } from "./sweep";

/** What a hook sweeps when the deleted resource's state does not say (from the stack's config). */
export interface SweepHookDefaults {
    clusterName: string;
    region: string;
    /** The time bound; 15 minutes by default. */
    timeoutMs?: number;
}

/** Where the sweep aims: cluster, region and (when known) VPC. */
export interface SweepTarget {
    clusterName: string;
    region: string;
    vpcId?: string;
}

/** The anchor's keepers: the sweep's target as stored in the stack's state. */
export interface SweepAnchorKeepers {
    clusterName: string;
    region: string;
    vpcId: string;
}

export const clusterSweepHookName = (clusterName: string): string => `sweep-cluster-${clusterName}`;
export const vpcSweepHookName = (clusterName: string): string => `sweep-vpc-${clusterName}`;

type HookState = Pick<pulumi.ResourceHookArgs, "id" | "oldInputs" | "oldOutputs">;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const record = (v: unknown): Record<string, unknown> =>
    v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The sweep target of a deleted anchor: its keepers (outputs first, then inputs), else the defaults. */
export function anchorSweepTarget(state: HookState, defaults: SweepHookDefaults): SweepTarget {
    const keepers = { ...record(record(state.oldInputs).keepers), ...record(record(state.oldOutputs).keepers) };
    const vpcId = str(keepers.vpcId);
    return {
        clusterName: str(keepers.clusterName) ?? defaults.clusterName,
        region: str(keepers.region) ?? defaults.region,
        ...(vpcId ? { vpcId } : {}),
    };
}

/** The sweep target of a deleted VPC: its id, the region of its ARN, the cluster from the defaults. */
export function vpcSweepTarget(state: HookState, defaults: SweepHookDefaults): SweepTarget {
    const outputs = record(state.oldOutputs);
    const vpcId = str(state.id) ?? str(outputs.id);
    const arnRegion = /^arn:[^:]+:ec2:([^:]+):/.exec(str(outputs.arn) ?? "")?.[1];
    return { clusterName: defaults.clusterName, region: arnRegion ?? defaults.region, ...(vpcId ? { vpcId } : {}) };
}

async function runSweep(hookName: string, target: SweepTarget, defaults: SweepHookDefaults, extra?: Partial<SweepOptions>): Promise<void> {
    const stack = pulumi.getStack();
    try {
        await sweepCluster({
            ...target,
            dryRun: false,
            timeoutMs: defaults.timeoutMs ?? DEFAULT_SWEEP_TIMEOUT_MS,
            log: (line) => pulumi.log.info(line),
            ...extra,
        });
    } catch (err) {
        if (err instanceof SweepTimeoutError) throw new Error(`${hookName}: ${err.message.replace("<stack>", stack)}`);
        const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        throw new Error(
            `${hookName}: the before-delete sweep of cluster ${target.clusterName} failed: ${message}. Fix the cause (credentials, ` +
                `permissions), list what is left with \`npm run sweep -- --stack ${stack} --dry-run\`, then run ` +
                `\`pulumi destroy --run-program\` again.`,
        );
    }
}

// One instance per name: the engine identifies delete hooks by name, and a name registers once per program run.
const hooks = new Map<string, pulumi.ResourceHook>();

function namedHook(name: string, callback: pulumi.ResourceHookFunction): pulumi.ResourceHook {
    const existing = hooks.get(name);
    if (existing) return existing;
    const hook = new pulumi.ResourceHook(name, callback);
    hooks.set(name, hook);
    return hook;
}

/** The main sweep, bound to the sweep anchor (`hooks: { beforeDelete: [clusterSweepHook(...)] }`). */
export function clusterSweepHook(defaults: SweepHookDefaults, extra?: Partial<SweepOptions>): pulumi.ResourceHook {
    const name = clusterSweepHookName(defaults.clusterName);
    return namedHook(name, (args) => runSweep(name, anchorSweepTarget(args, defaults), defaults, extra));
}

/**
 * The safety net, bound to the VPC: runs the same idempotent sweep once the subnets are gone, so a security group
 * or ENI that appeared after the main sweep cannot block the VPC's deletion.
 */
export function vpcSweepHook(defaults: SweepHookDefaults, extra?: Partial<SweepOptions>): pulumi.ResourceHook {
    const name = vpcSweepHookName(defaults.clusterName);
    return namedHook(name, (args) => runSweep(name, vpcSweepTarget(args, defaults), defaults, extra));
}

export interface SweepAnchorArgs {
    /** The cluster's name (the eks Cluster's output, so the anchor also waits for it). */
    clusterName: pulumi.Input<string>;
    region: string;
    vpcId: pulumi.Input<string>;
    /** The @pulumi/eks Cluster: the anchor is deleted before it and its children. */
    cluster: pulumi.Resource;
    /** The hook's fallbacks and time bound (plain values from the stack's config). */
    hook: SweepHookDefaults;
}

/**
 * The sweep anchor: a RandomId that carries the cluster sweep hook. Make the Kubernetes provider and the system
 * node group depend on it (`dependsOn: [anchor]`) so it is deleted after them.
 */
export function createSweepAnchor(
    name: string,
    args: SweepAnchorArgs,
    opts?: Omit<pulumi.CustomResourceOptions, "dependsOn">,
): random.RandomId {
    const hook = clusterSweepHook(args.hook);
    const keepers: pulumi.Input<Record<string, pulumi.Input<string>>> = {
        clusterName: args.clusterName,
        region: args.region,
        vpcId: args.vpcId,
    };
    return new random.RandomId(
        name,
        { byteLength: 4, keepers },
        {
            ...opts,
            dependsOn: [args.cluster],
            hooks: { ...opts?.hooks, beforeDelete: [...(opts?.hooks?.beforeDelete ?? []), hook] },
        },
    );
}
