// `npm run bench`: the offline plan's wall time (median of N runs, each a fresh process, as a user runs it) and peak
// memory, per stack and for prod with 10 and 50 node pools, plus where the time goes in one run.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { parseArgs } from "./lib/args";
import { listStacks, REPO_ROOT, stackFile } from "../plan";

const RUNNER = path.join(REPO_ROOT, "scripts", "run.mjs");
const PLAN_BUNDLE = path.join(REPO_ROOT, ".cache", "plan.js");
const RSS_PROBE = path.join(REPO_ROOT, "scripts", "lib", "rss-probe.cjs");

interface Sample {
    wallMs: number;
    peakRssMb: number;
    phases?: Record<string, number>;
}

function runPlan(stack: string, file?: string): Sample {
    // Exactly what `npm run plan` runs (minus npm itself): scripts/run.mjs and the prebuilt bundle.
    const args = ["--require", RSS_PROBE, RUNNER, "plan", "--stack", stack, "--quiet", "--timings"];
    if (file) args.push("--config-file", file);
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8" });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`plan of ${stack} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
    const rss = /peak-rss-kb=(\d+)/.exec(result.stderr)?.[1];
    const phases = /timings (\{.*\})/.exec(result.stdout)?.[1];
    return { wallMs, peakRssMb: Number(rss ?? 0) / 1024, phases: phases ? (JSON.parse(phases) as Record<string, number>) : undefined };
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] ?? 0;
};

/**
 * The prod stack file with `count` node pools: its own, unchanged (teams name them), then copies of them under
 * distinct names.
 */
export function prodWithPools(count: number, dir: string): string {
    const doc = parseYaml(fs.readFileSync(stackFile("prod"), "utf8")) as {
        config: Record<string, { nodePools?: Record<string, unknown>[] }>;
    };
    const karpenter = doc.config["eks-platform:karpenter"];
    const pools = karpenter?.nodePools ?? [];
    if (!karpenter || pools.length === 0) throw new Error("prod has no node pools to repeat");
    karpenter.nodePools = Array.from({ length: count }, (_, i) => {
        const pool = pools[i % pools.length] as Record<string, unknown>;
        if (i < pools.length) return pool;
        // A preset that expands into two pools (on-demand-baseline) counts as its pools; keep one pool per entry.
        const { preset, spotOverflow: _overflow, ...rest } = pool;
        return { ...rest, preset: preset === "on-demand-baseline" ? "general" : preset, name: `${String(pool.name)}-${i}` };
    });
    const file = path.join(dir, `Pulumi.prod-${count}-pools.yaml`);
    fs.writeFileSync(file, toYaml(doc));
    return file;
}

export async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv, { strings: ["runs"], booleans: ["json"] });
    const runs = Number(args.runs ?? 5);
    if (!fs.existsSync(PLAN_BUNDLE)) throw new Error(`${PLAN_BUNDLE} is missing: run \`npm run plan -- --stack dev\` once first`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-bench-"));
    const cases: { label: string; stack: string; file?: string }[] = listStacks().map((stack) => ({ label: stack, stack }));
    cases.push({ label: "prod, 10 node pools", stack: "prod", file: prodWithPools(10, dir) });
    cases.push({ label: "prod, 50 node pools", stack: "prod", file: prodWithPools(50, dir) });

    console.log(`offline plan, median of ${runs} fresh processes (${os.cpus().length} cores, node ${process.version})`);
    console.log(`${"case".padEnd(22)} ${"wall ms".padStart(8)} ${"peak MB".padStart(8)}  phases (ms, one run): load / program / serialise`);
    const results: Record<string, { wallMs: number; peakRssMb: number }> = {};
    for (const c of cases) {
        runPlan(c.stack, c.file); // warm the file cache
        const samples = Array.from({ length: runs }, () => runPlan(c.stack, c.file));
        const wall = median(samples.map((s) => s.wallMs));
        const peak = Math.max(...samples.map((s) => s.peakRssMb));
        const p = samples[0]?.phases;
        const phases = p ? `${p.load?.toFixed(0)} / ${p.program?.toFixed(0)} / ${p.serialise?.toFixed(0)}` : "";
        results[c.label] = { wallMs: Math.round(wall), peakRssMb: Math.round(peak) };
        console.log(`${c.label.padEnd(22)} ${wall.toFixed(0).padStart(8)} ${peak.toFixed(0).padStart(8)}  ${phases}`);
    }
    const one = results.prod?.wallMs ?? 0;
    const fifty = results["prod, 50 node pools"]?.wallMs ?? 0;
    console.log(`50 pools / prod: ${(fifty / one).toFixed(2)}x (target < 2x); prod target <= 3000 ms and 400 MB`);
    if (args.json) console.log(JSON.stringify(results));
    fs.rmSync(dir, { recursive: true, force: true });
    return 0;
}
