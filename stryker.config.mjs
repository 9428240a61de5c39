// StrykerJS over the pure modules (config schemas and rules, the components' pure builders, CIDR planning): how many
// mutants of their code the unit tests kill. `npm run mutation` runs it and prints the score; it is not part of
// `npm test` (a full run takes many minutes on 2 cores).
export default {
    testRunner: "vitest",
    vitest: { configFile: "vitest.mutation.config.mts" },
    plugins: ["@stryker-mutator/vitest-runner"],
    mutate: [
        "stacks/schema/**/*.ts",
        "stacks/versions/support.ts",
        "components/**/spec.ts",
        "components/**/values.ts",
        "components/karpenter/nodepools.ts",
        "components/lib/nodeadm.ts",
        "lib/cidr.ts",
    ],
    coverageAnalysis: "perTest",
    concurrency: 2,
    timeoutMS: 20000,
    tempDirName: ".cache/stryker-tmp",
    reporters: ["clear-text", "progress", "json"],
    jsonReporter: { fileName: ".cache/mutation/mutation.json" },
    ignoreStatic: true,
};
