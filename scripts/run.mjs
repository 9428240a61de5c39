// Runs one of the project's TypeScript tools (scripts/<name>.ts) fast: esbuild bundles the tool with the program
// into .cache/<name>.js (packages stay external) and Node runs it. Type errors are `npm run typecheck`'s job.
// The bundle is rebuilt only when a source file is newer than it.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// `node scripts/run.mjs --build <tool>` only (re)builds the bundle.
const buildOnly = process.argv[2] === "--build";
const [name, ...args] = process.argv.slice(buildOnly ? 3 : 2);
const entry = join(root, "scripts", `${name}.ts`);
if (!name || !existsSync(entry)) {
    console.error(`usage: node scripts/run.mjs <tool> [args]: no scripts/${name ?? ""}.ts`);
    process.exit(2);
}
const outfile = join(root, ".cache", `${name}.js`);

function newestSource(dir) {
    let newest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
        else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
    return newest;
}

if (!existsSync(outfile) || statSync(outfile).mtimeMs < newestSource(root)) {
    await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        packages: "external",
        sourcemap: "inline",
        logLevel: "warning",
    });
}
if (buildOnly) process.exit(0);
// Every tool exports `main(argv): Promise<number>` (the exit code), so tests can call it in-process too.
const { main } = createRequire(import.meta.url)(outfile);
try {
    process.exitCode = await main(args);
} catch (err) {
    // A mistake the user can fix (scripts/lib/errors.ts CliError: an unknown stack, a missing or unreadable file, a
    // bad option) is one line; anything else is a bug in the tool and keeps its stack.
    if (err instanceof Error && err.name === "CliError") {
        console.error(`error: ${err.message}`);
        process.exitCode = 2;
    } else {
        console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
        process.exitCode = 1;
    }
}
