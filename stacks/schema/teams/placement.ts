// Each team's placement on its Karpenter pool, derived from the pool itself (its taint and label).
import { TEAM_LABEL } from "../karpenter";
import type { TeamConfig } from "./schema";

export interface TeamPlacement {
    pool: string;
    nodeSelector: Record<string, string>;
    tolerations: { key: string; operator: "Equal"; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
}

/**
 * Derived for the components: each team's placement on its pool (from the pool as Karpenter gets it, so a pool's own
 * taints are tolerated), and the taint keys of every team pool (a team's pods may tolerate only their own pool's).
 */
export function teamPlacements(
    teams: readonly Pick<TeamConfig, "name" | "nodePool">[],
    pools: readonly {
        name: string;
        preset?: string;
        labels: Readonly<Record<string, string>>;
        taints: readonly { key: string; value?: string; effect: TeamPlacement["tolerations"][number]["effect"] }[];
    }[],
): { placements: Record<string, TeamPlacement>; guardedTaintKeys: string[]; poolLabelKey: string } {
    const placements: Record<string, TeamPlacement> = {};
    const keys = new Set<string>([TEAM_LABEL]);
    for (const pool of pools) if (pool.preset === "team") for (const taint of pool.taints) keys.add(taint.key);
    for (const team of teams) {
        const pool = pools.find((candidate) => candidate.name === team.nodePool);
        if (!pool) continue;
        placements[team.name] = {
            pool: pool.name,
            nodeSelector: { [TEAM_LABEL]: pool.labels[TEAM_LABEL] ?? pool.name },
            tolerations: pool.taints.map((t) => ({
                key: t.key,
                operator: "Equal",
                ...(t.value !== undefined ? { value: t.value } : {}),
                effect: t.effect,
            })),
        };
    }
    return { placements, guardedTaintKeys: [...keys].sort(), poolLabelKey: TEAM_LABEL };
}
