// ESLint: typescript-eslint (type-aware where it pays), Pulumi's rules against Outputs in template literals, and the
// house's one-way import arrows (ARCHITECTURE.md).
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

const reference = { group: ["**/shared/reference/**"], message: "the program never reads ../shared/reference" };
/** no-restricted-imports with the reference rule plus the given forbidden groups. */
const forbid = (groups, message) => ["error", { patterns: [reference, ...(groups.length ? [{ group: groups, message }] : [])] }];

export default tseslint.config(
    { ignores: ["node_modules/", ".cache/", "coverage/", "reports/", "bin/", "**/*.js", "**/*.mjs", "**/*.cjs", "**/*.mts"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "@typescript-eslint/no-require-imports": "off",
            "no-restricted-imports": forbid([], ""),
        },
    },
    {
        // The programs (the platform and the bootstrap project) never import tests, tools or the offline plan.
        files: ["index.ts", "components/**/*.ts", "bootstrap/**/*.ts"],
        rules: {
            "no-restricted-imports": forbid(
                ["**/tests/**", "**/scripts/**", "**/plan", "**/plan/**"],
                "the program must not import tests, tools or the offline plan",
            ),
        },
    },
    {
        // Components take only types from stacks/: values reach them through PlatformConfig.
        files: ["components/**/*.ts"],
        rules: {
            "@typescript-eslint/no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            group: ["**/stacks/**"],
                            allowTypeImports: true,
                            message: "components take only types from stacks/ (values come through PlatformConfig)",
                        },
                    ],
                },
            ],
        },
    },
    {
        // The config contract imports no component (it may use lib/).
        files: ["stacks/**/*.ts"],
        rules: {
            "no-restricted-imports": forbid(
                ["**/components/**", "**/plan", "**/plan/**", "**/tests/**", "**/scripts/**"],
                "stacks/ imports no component, plan, test or tool",
            ),
        },
    },
    {
        // lib/ holds pure helpers and data the config and the components share: it imports nothing of the project's.
        files: ["lib/**/*.ts"],
        rules: {
            "no-restricted-imports": forbid(
                ["**/components/**", "**/stacks/**", "**/plan", "**/plan/**", "**/tests/**", "**/scripts/**"],
                "lib/ is imported by the config and the components, never the reverse",
            ),
        },
    },
    {
        // The offline plan, the policy pack and the tools are product code too: tests import them, never the reverse.
        files: ["plan/**/*.ts", "policy/**/*.ts", "scripts/**/*.ts"],
        rules: { "no-restricted-imports": forbid(["**/tests/**"], "tests import the plan, never the reverse") },
    },
);
