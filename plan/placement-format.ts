// How the placement check's report is printed by `npm run plan`: the managed groups' budgets and the upstream defaults
// relied on (details), then one line per finding, then the summary.
import type { PodRequests } from "../components/lib/workloads";
import type { PlacementReport } from "./placement";

const fmt = (r: PodRequests) => `${Math.round(r.cpuMillis)}m CPU / ${Math.round(r.memoryMiB)}Mi`;

/** Findings are errors in prod (the plan fails), warnings elsewhere. */
export const placementSeverity = (environment: string): "error" | "warning" => (environment === "prod" ? "error" : "warning");

export function formatPlacement(report: PlacementReport, opts: { stack: string; environment: string; details: boolean }): string {
    const severity = placementSeverity(opts.environment);
    const lines: string[] = [];
    if (opts.details) {
        for (const b of report.budgets) {
            lines.push(
                `  ${b.group}: ${b.workloads.length} workloads request ${fmt(b.requests)}; each node holds ${fmt(b.allocatablePerNode)}, ${fmt(b.perNode)} of it for DaemonSets (desired ${b.size.desired}, min ${b.size.min})`,
            );
        }
        if (report.fargate.length > 0)
            lines.push(`  on Fargate (no node group): ${report.fargate.map((f) => `${f.workload} (profile ${f.profile})`).join(", ")}`);
        if (report.assumptions.length > 0) lines.push(`  upstream defaults assumed (not in our values): ${report.assumptions.join("; ")}`);
    }
    for (const f of report.findings) lines.push(`  [${severity}] ${f.kind} ${f.subject}: ${f.message}`);
    lines.push(
        `placement ${opts.stack} (${opts.environment}): ${report.workloads.length} workloads on ${report.groups.length} node groups and NodePools, ${report.findings.length} ${severity}${report.findings.length === 1 ? "" : "s"}`,
    );
    return lines.join("\n");
}
