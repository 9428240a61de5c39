import { defineConfig } from "vitest/config";

// The suite StrykerJS runs against each mutant of the pure modules (npm run mutation): the unit tests of the config
// contract, the pure builders and the version and catalogue tables. No global setup (they read no shared plan) and
// no component under the mock runtime, so a mutant costs a fraction of a second.
export default defineConfig({
    test: {
        pool: "forks",
        testTimeout: 30_000,
        include: [
            "tests/config/**/*.test.ts",
            "tests/network/cidr.test.ts",
            "tests/cluster/nodeadm.test.ts",
            "tests/karpenter/config.test.ts",
            "tests/karpenter/guards.test.ts",
            "tests/karpenter/crd.test.ts",
            "tests/cni/cni.test.ts",
            "tests/ingress/ingress.test.ts",
            "tests/observability/values.test.ts",
            "tests/versions/table.test.ts",
            "tests/versions/support.test.ts",
            // The builders' and schemas' own unit tests beyond the first set (no shared plan either).
            "tests/cluster/cluster.test.ts",
            "tests/argocd/objects.test.ts",
            "tests/teams/config.test.ts",
            "tests/teams/objects.test.ts",
            "tests/ingress/config.test.ts",
            "tests/ingress/gateway-config.test.ts",
            "tests/delivery/config.test.ts",
            "tests/karpenter/gpu.test.ts",
            "tests/observability/config.test.ts",
        ],
    },
});
