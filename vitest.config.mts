import { defineConfig } from "vitest/config";

// Test files that run the whole program (planStack imports index.ts, which runs once per module cache) need a process
// each. The others share one module cache per worker, which saves loading the Pulumi packages again for every file:
// files that use the mock runtime call setupMocks() first, which installs a new mock monitor and overwrites the
// whole config, and they settle() before they end, so nothing carries over from one file to the next.
const wholeProgram = [
    "tests/plan/plan.test.ts",
    "tests/cni/plan-calico-cni.test.ts",
    "tests/workloads/program-on.test.ts",
    "tests/workloads/program-off.test.ts",
];

export default defineConfig({
    test: {
        globalSetup: ["tests/global-setup.ts"],
        pool: "forks",
        testTimeout: 30_000,
        hookTimeout: 30_000,
        // @actions/workflow-parser imports its JSON schema without an import attribute, which Node's ESM loader
        // refuses; inlined, Vite loads it (tests/workflows validate the workflows with it).
        server: { deps: { inline: ["@actions/workflow-parser"] } },
        projects: [
            { extends: true, test: { name: "program", include: wholeProgram, isolate: true } },
            { extends: true, test: { name: "units", include: ["tests/**/*.test.ts"], exclude: wholeProgram, isolate: false } },
        ],
    },
});
