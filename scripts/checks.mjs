// `npm test`'s static gates, run side by side (the machines have 2 cores and both tools spend most of their time
// loading the Pulumi packages' type definitions): the typecheck, ESLint and Prettier. Exits non-zero if any fails.
import { spawn } from "node:child_process";

const gates = [
    ["typecheck", "npx", ["--no-install", "tsc", "--noEmit", "-p", "."]],
    ["eslint", "npx", ["--no-install", "eslint", "--cache", "--cache-location", ".cache/eslint", "."]],
    ["prettier", "npx", ["--no-install", "prettier", "--check", "--log-level", "warn", "."]],
];

const results = await Promise.all(
    gates.map(
        ([name, cmd, args]) =>
            new Promise((resolve) => {
                const started = Date.now();
                const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
                let output = "";
                child.stdout.on("data", (d) => (output += d));
                child.stderr.on("data", (d) => (output += d));
                child.on("close", (code) => resolve({ name, code, output, seconds: (Date.now() - started) / 1000 }));
            }),
    ),
);
let failed = false;
for (const r of results) {
    const text = r.output
        .split("\n")
        .filter((l) => !l.includes('Unknown user config "nodedir"'))
        .join("\n")
        .trim();
    console.log(`${r.code === 0 ? "ok  " : "FAIL"} ${r.name} (${r.seconds.toFixed(1)} s)`);
    if (r.code !== 0) {
        failed = true;
        console.log(text);
    }
}
process.exit(failed ? 1 : 0);
