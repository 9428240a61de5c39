// Plans each shipped stack once per test run, with the real `npm run plan` command (in parallel, one process per
// stack), into .cache/plans/<stack>.json; tests that look at an unmodified stack's plan read it with
// `sharedPlan(stack)` instead of running the whole program again in every test file.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const runner = path.join(root, "scripts", "run.mjs");

export default async function setup(): Promise<void> {
    // Every vitest project inherits this setup; the plans are made once per run (setups share the main process).
    if (process.env.EKS_PLATFORM_SHARED_PLANS === "ready") return;
    const started = Date.now();
    const dir = path.join(root, ".cache", "plans");
    fs.mkdirSync(dir, { recursive: true });
    // Build the plan bundle once, so the parallel runs below don't race to write it.
    const build = spawnSync(process.execPath, [runner, "--build", "plan"], { cwd: root, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`building the plan command failed:\n${build.stderr}`);
    const stacks = fs
        .readdirSync(path.join(root, "stacks"))
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined);
    await Promise.all(
        stacks.map(
            (stack) =>
                new Promise<void>((resolve, reject) => {
                    const file = path.join(dir, `${stack}.json`);
                    fs.rmSync(file, { force: true });
                    const child = spawn(process.execPath, [runner, "plan", "--stack", stack, "--json", file, "--quiet", "--policy=false"], {
                        cwd: root,
                    });
                    let stderr = "";
                    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
                    child.on("close", (code) =>
                        code === 0 ? resolve() : reject(new Error(`plan of ${stack} failed (${code}):\n${stderr}`)),
                    );
                }),
        ),
    );
    process.env.EKS_PLATFORM_SHARED_PLANS = "ready";
    console.log(`shared plans of ${stacks.join(", ")} made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
