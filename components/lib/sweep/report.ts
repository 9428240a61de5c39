// What a sweep is and what it reports: its phases in their fixed order, its options, its report and its last line.
import type { SweepClients } from "./aws";
import type { Backoff, Clock } from "./retry";

export const SWEEP_PHASES = ["loadBalancers", "targetGroups", "instances", "securityGroups", "networkInterfaces"] as const;
export type SweepPhase = (typeof SWEEP_PHASES)[number];

export const PHASE_TITLE: Record<SweepPhase, string> = {
    loadBalancers: "load balancers made by the LB controller",
    targetGroups: "target groups made by the LB controller",
    instances: "instances launched by Karpenter",
    securityGroups: "security groups made by the LB controller",
    networkInterfaces: "detached network interfaces left by the VPC CNI",
};

export const PHASE_NOUN: Record<SweepPhase, string> = {
    loadBalancers: "load balancers",
    targetGroups: "target groups",
    instances: "instances",
    securityGroups: "security groups",
    networkInterfaces: "network interfaces",
};

/** Default time bound of a sweep: 15 minutes (instance termination and ELB ENI release take most of it). */
export const DEFAULT_SWEEP_TIMEOUT_MS = 15 * 60_000;

export interface SweepOptions {
    clusterName: string;
    region: string;
    /** The cluster's VPC. Without it, security groups and ENIs are not swept (they are only matched inside it). */
    vpcId?: string;
    /** List what would be deleted; delete nothing. */
    dryRun: boolean;
    /** The time bound: the sweep stops with SweepTimeoutError when it is reached. */
    timeoutMs: number;
    /** Progress output, one line per call. */
    log?: (line: string) => void;
    /** Clients to use instead of new ones from the default credential chain (tests). */
    clients?: Partial<SweepClients>;
    clock?: Clock;
    backoff?: Partial<Backoff>;
    /** How often waits poll AWS. */
    pollIntervalMs?: number;
    /** The phases to run, in their fixed order; all by default. */
    phases?: readonly SweepPhase[];
}

export interface SweepReport {
    clusterName: string;
    region: string;
    vpcId: string | undefined;
    dryRun: boolean;
    /** What the sweep found with this cluster's tags, per phase (ARNs or ids). */
    found: Record<SweepPhase, string[]>;
    /** What it deleted (or terminated); empty on a dry run. */
    deleted: Record<SweepPhase, string[]>;
    /** Security group rule ids revoked because they referenced a swept security group. */
    revokedRules: string[];
    /** Phases not run, and why. */
    skipped: { phase: SweepPhase; reason: string }[];
    elapsedMs: number;
}

export const emptyByPhase = (): Record<SweepPhase, string[]> => ({
    loadBalancers: [],
    targetGroups: [],
    instances: [],
    securityGroups: [],
    networkInterfaces: [],
});

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
export const listed = (items: readonly string[], max = 8) =>
    items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;

/** The last line of a sweep's output. */
export function summary(report: SweepReport): string {
    const source = report.dryRun ? report.found : report.deleted;
    const parts = SWEEP_PHASES.map((p) => `${source[p].length} ${PHASE_NOUN[p]}`);
    const verb = report.dryRun ? "would delete" : "deleted";
    return `sweep of ${report.clusterName} ${report.dryRun ? "(dry run) " : ""}done in ${Math.round(report.elapsedMs / 1000)} s: ${verb} ${parts.join(", ")}`;
}
