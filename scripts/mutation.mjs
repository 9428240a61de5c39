// `npm run mutation`: StrykerJS over the pure modules (stryker.config.mjs), then the mutation score per file and in
// all from its JSON report. Not part of npm test.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const extra = process.argv.slice(2);
const run = spawnSync("npx", ["--no-install", "stryker", "run", ...extra], { stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);
const report = JSON.parse(readFileSync(".cache/mutation/mutation.json", "utf8"));
const rows = [];
let killed = 0;
let valid = 0;
for (const [file, { mutants }] of Object.entries(report.files)) {
    const k = mutants.filter((m) => m.status === "Killed" || m.status === "Timeout").length;
    const v = mutants.filter((m) => !["CompileError", "RuntimeError", "Ignored"].includes(m.status)).length;
    killed += k;
    valid += v;
    rows.push([file, k, v]);
}
rows.sort((a, b) => a[1] / a[2] - b[1] / b[2]);
for (const [file, k, v] of rows)
    console.log(`${((100 * k) / Math.max(v, 1)).toFixed(1).padStart(6)}%  ${String(k).padStart(4)}/${String(v).padEnd(4)}  ${file}`);
console.log(`mutation score: ${((100 * killed) / Math.max(valid, 1)).toFixed(1)}% (${killed} of ${valid} mutants killed or timed out)`);
