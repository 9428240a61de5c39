// Stack configuration for the offline plan: the `config:` mapping of a real `stacks/Pulumi.<stack>.yaml`, optionally
// another file or overrides, validated by the config contract exactly as index.ts validates it.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { deepMerge, parsePlatformConfig, type PlatformConfig } from "../stacks/config";

/** The repository root (plan/..). */
export const REPO_ROOT = path.resolve(__dirname, "..");

/** Path of a stack's config file in stacks/. */
export function stackFile(stack: string): string {
    return path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`);
}

/** The `config:` mapping of a stack file, values as the file gives them (objects stay objects). */
export function loadStackConfig(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) throw new Error(`no stack file ${file}: stacks are ${listStacks().join(", ")}`);
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const config = doc?.config ?? {};
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        // Pulumi's stack files may hold `{ secure: <ciphertext> }`; offline we can only say a secret is there.
        out[key] = value && typeof value === "object" && "secure" in value ? "[secret]" : value;
    }
    return out;
}

export function listStacks(): string[] {
    return fs
        .readdirSync(path.join(REPO_ROOT, "stacks"))
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export interface StackSource {
    /** The stack name (also the default file stacks/Pulumi.<stack>.yaml). */
    stack: string;
    /** Another stack file to read instead (the bench's generated stacks, hand-edited test stacks). */
    file?: string;
    /** Values deep-merged over the file's config, by full key (e.g. "eks-platform:cni": { mode: "calico-cni" }). */
    overrides?: Record<string, unknown>;
}

/** The raw config map for a stack: its file plus overrides. */
export function rawConfigFor(source: StackSource): Record<string, unknown> {
    const raw = loadStackConfig(source.file ?? stackFile(source.stack));
    for (const [key, value] of Object.entries(source.overrides ?? {})) raw[key] = deepMerge(raw[key], value);
    return raw;
}

/** The validated PlatformConfig of a stack (throws the ConfigError a bad file gives). */
export function platformConfigFor(source: StackSource | string): PlatformConfig {
    const s = typeof source === "string" ? { stack: source } : source;
    return parsePlatformConfig(rawConfigFor(s), s.stack);
}
