// Fargate in the placement check: the selectors of the plan's Fargate profiles (a namespace, with labels or not) and
// what Fargate cannot run (EKS user guide, fargate.adoc considerations).
import type { PodRequests } from "../components/lib/workloads";
import type { Workload } from "../components/workloads";
import type { PlacementFinding } from "./placement";
import type { PlanResult } from "./types";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const fmt = (r: PodRequests) => `${Math.round(r.cpuMillis)}m CPU / ${Math.round(r.memoryMiB)}Mi`;
const fits = (r: PodRequests, a: PodRequests) => r.cpuMillis <= a.cpuMillis && r.memoryMiB <= a.memoryMiB;

/** A Fargate profile's selector as the plan declares it: pods of the namespace (with the labels, if any) run on Fargate. */
export interface FargateSelector {
    profile: string;
    namespace: string;
    labels: Readonly<Record<string, string>>;
}

/** Every selector of every Fargate profile in the plan. */
export function fargateSelectorsOf(plan: PlanResult): FargateSelector[] {
    return plan.resources
        .filter((r) => r.type === "aws:eks/fargateProfile:FargateProfile")
        .flatMap((r) =>
            (Array.isArray(r.inputs.selectors) ? r.inputs.selectors : []).filter(isRecord).map((sel) => ({
                profile: String(r.inputs.fargateProfileName ?? r.name),
                namespace: String(sel.namespace),
                labels: Object.fromEntries(Object.entries(isRecord(sel.labels) ? sel.labels : {}).map(([k, v]) => [k, String(v)])),
            })),
        );
}

/**
 * The largest Fargate pod: 16 vCPU and 120 GB (EKS user guide, fargate-pod-configuration.adoc, the vCPU and memory
 * combinations; 1 GB = 1024 MiB there).
 */
export const FARGATE_MAX = { cpuMillis: 16_000, memoryMiB: 120 * 1024 } as const;

/** What Fargate cannot run (EKS user guide, fargate.adoc considerations): DaemonSets, EBS volumes, pods above its largest size. */
export function fargateFindings(w: Workload, sel: FargateSelector): PlacementFinding[] {
    const where = `namespace ${w.namespace} runs on Fargate (profile ${sel.profile})`;
    const out: PlacementFinding[] = [];
    if (w.kind === "DaemonSet")
        out.push({ kind: "fargate", subject: w.name, message: `is a DaemonSet and ${where}, which runs no DaemonSet` });
    if (w.zonalVolume)
        out.push({ kind: "fargate", subject: w.name, message: `mounts an EBS volume and ${where}, which cannot mount EBS volumes` });
    if (!fits(w.requests, FARGATE_MAX))
        out.push({
            kind: "fargate",
            subject: w.name,
            message: `needs ${fmt(w.requests)} and ${where}, whose largest pod has ${fmt(FARGATE_MAX)}`,
        });
    return out;
}
