import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        globalSetup: ["tests/global-setup.ts"],
        // Pulumi's runtime state is global: every test file gets its own process.
        pool: "forks",
        testTimeout: 30_000,
        hookTimeout: 30_000,
    },
});
