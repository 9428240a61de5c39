// Stack files hold only what differs from their environment's defaults (the defaults live once, in the schema).
import { describe, expect, it } from "vitest";
import { listStacks, loadStackConfig, stackFile } from "../../plan";
import { deepMerge } from "../../stacks/config";
import { expandNodePools } from "../../stacks/schema/karpenter";
import { SECTIONS } from "../../stacks/sections";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Key paths in `given` whose value equals `defaults` at the same path (lists compared whole). */
function repeated(given: unknown, defaults: unknown, at: string): string[] {
    if (isRecord(given) && isRecord(defaults))
        return Object.entries(given).flatMap(([key, value]) => repeated(value, defaults[key], `${at}.${key}`));
    return defaults !== undefined && same(given, defaults) ? [at] : [];
}

/** A NodePool field is repeated when the pool expands to the same value without it (pool defaults and presets). */
function repeatedInPools(pools: unknown, at: string): string[] {
    if (!Array.isArray(pools)) return [];
    return pools.flatMap((pool, i) => {
        if (!isRecord(pool)) return [];
        return Object.keys(pool).flatMap((field) => {
            if (field === "name" || field === "preset") return [];
            const { [field]: _omit, ...rest } = pool;
            void _omit;
            const [expanded] = expandNodePools([rest]) as Record<string, unknown>[];
            // Presets merge a pool's fields whole (a pool's disruption replaces the preset's), so compare whole fields.
            return same(pool[field], expanded?.[field]) ? [`${at}[${i}].${field}`] : [];
        });
    });
}

describe("stack files", () => {
    it.each(listStacks())("%s repeats no default", (stack) => {
        const raw = loadStackConfig(stackFile(stack));
        const env = raw["eks-platform:environment"] as "dev" | "staging" | "prod";
        const found: string[] = [];
        for (const section of SECTIONS) {
            const given = raw[section.key];
            if (given === undefined || !section.defaults) continue;
            const { nodePools, ...rest } = isRecord(given) ? given : {};
            found.push(...repeated(isRecord(given) ? rest : given, section.defaults[env], section.key));
            if (section.name === "karpenter") found.push(...repeatedInPools(nodePools, `${section.key}.nodePools`));
        }
        expect(found).toEqual([]);
    });

    it("the check finds a repeated default (it can fail)", () => {
        expect(repeated({ azCount: 2, vpcCidr: "10.0.0.0/16" }, SECTIONS.find((s) => s.name === "network")?.defaults?.dev, "n")).toEqual([
            "n.azCount",
        ]);
        expect(repeatedInPools([{ name: "p", preset: "general", capacityTypes: ["spot", "on-demand"] }], "pools")).toEqual([
            "pools[0].capacityTypes",
        ]);
        expect(deepMerge({ a: 1 }, { b: 2 })).toEqual({ a: 1, b: 2 });
    });
});
