// ESLint: typescript-eslint (type-aware where it pays) and Pulumi's rules against Outputs in template literals.
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", ".cache/", "coverage/", "bin/", "**/*.js", "**/*.mjs", "**/*.cjs", "**/*.mts"] },
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
            "no-restricted-imports": [
                "error",
                { patterns: [{ group: ["**/shared/reference/**"], message: "the program never reads ../shared/reference" }] },
            ],
        },
    },
    {
        // The program (not its tests and tools) never imports tests/, the tools or the offline plan.
        files: ["index.ts", "components/**/*.ts", "stacks/**/*.ts", "lib/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            group: ["**/tests/**", "**/scripts/**", "**/plan", "**/plan/**"],
                            message: "the program must not import tests, tools or the offline plan",
                        },
                    ],
                },
            ],
        },
    },
    {
        // The offline plan and the policy pack are product code too: they never import tests/.
        files: ["plan/**/*.ts", "policy/**/*.ts", "scripts/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                { patterns: [{ group: ["**/tests/**"], message: "tests import the plan, never the reverse" }] },
            ],
        },
    },
);
