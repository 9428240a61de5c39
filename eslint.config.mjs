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
        // The program (not its tests and tools) must not reach into tests/ except the mock-free config.
        files: ["index.ts", "components/**/*.ts", "stacks/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                { patterns: [{ group: ["**/tests/**", "**/scripts/**"], message: "the program must not import tests or tools" }] },
            ],
        },
    },
);
