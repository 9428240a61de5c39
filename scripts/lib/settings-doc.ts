// The settings reference (docs/settings.md), rendered from the config contract itself: every section of
// stacks/sections.ts, each setting's type and allowed values from its schema, its description, its default per
// environment (after the section's preparation, so the versions that follow the Kubernetes minor show), and the rules
// that report on it. Pure: `npm run docs` writes the result, a test fails when the file is stale.
import { z } from "zod";
import { ENVIRONMENTS, type Environment } from "../../stacks/config";
import { clusterDefaults } from "../../stacks/schema/cluster";
import { RULES, SECTIONS } from "../../stacks/sections";
import { VERSIONS_AS_OF } from "../../stacks/versions";

interface JsonSchema {
    type?: string | string[];
    description?: string;
    enum?: unknown[];
    const?: unknown;
    pattern?: string;
    minimum?: number;
    maximum?: number;
    minItems?: number;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
    additionalProperties?: JsonSchema | boolean;
    anyOf?: JsonSchema[];
}

export interface SettingRow {
    /** The key path as written in a stack file (eks-platform:karpenter.nodePools[].name). */
    path: string;
    values: string;
    required: boolean;
    description: string;
    defaults: Record<Environment, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function typeOf(s: JsonSchema): string {
    if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
    if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(", ");
    if (s.anyOf) return s.anyOf.map(typeOf).join(" or ");
    const range = (min?: number, max?: number) =>
        min !== undefined && max !== undefined
            ? ` ${min}-${max}`
            : min !== undefined
              ? ` >= ${min}`
              : max !== undefined
                ? ` <= ${max}`
                : "";
    switch (s.type) {
        case "integer":
            return `whole number${range(s.minimum, s.maximum)}`;
        case "number":
            return `number${range(s.minimum, s.maximum)}`;
        case "boolean":
            return "true or false";
        case "string":
            return "string";
        case "array":
            return `list of ${s.items ? typeOf(s.items) : "values"}${s.minItems ? ` (at least ${s.minItems})` : ""}`;
        case "object":
            return s.properties ? "mapping" : "map";
        default:
            return "value";
    }
}

function valueAt(root: unknown, path: readonly string[]): unknown {
    let node = root;
    for (const key of path) {
        if (key === "[]") return undefined;
        node = isRecord(node) ? node[key] : undefined;
    }
    return node;
}

function cell(value: unknown): string {
    if (value === undefined) return "";
    const text = JSON.stringify(value);
    return `\`${text.length > 48 ? `${text.slice(0, 45)}...` : text}\``.replace(/\|/g, "\\|");
}

/** The section's input for an environment as the loader builds it before validation (defaults, then prepare). */
function preparedDefaults(section: (typeof SECTIONS)[number], env: Environment): unknown {
    const defaults = section.defaults?.[env];
    const minor = clusterDefaults[env].kubernetesVersion;
    return section.prepare ? section.prepare(defaults ?? {}, { environment: env, minor }) : defaults;
}

function rows(schema: JsonSchema, key: string, path: string[], defaults: Record<Environment, unknown>, required: boolean): SettingRow[] {
    const here = path.length === 0 ? key : `${key}.${path.join(".").replace(/\.\[\]/g, "[]")}`;
    // A mapping's defaults are listed on its settings' rows, not repeated as one JSON blob.
    const leaf = !(schema.type === "object" && schema.properties);
    const row = (): SettingRow => ({
        path: here,
        values: typeOf(schema),
        required,
        description: (schema.description ?? "").replace(/\|/g, "\\|"),
        defaults: Object.fromEntries(ENVIRONMENTS.map((env) => [env, leaf ? cell(valueAt(defaults[env], path)) : ""])) as Record<
            Environment,
            string
        >,
    });
    if (schema.type === "object" && schema.properties) {
        const out: SettingRow[] = path.length === 0 ? [] : [row()];
        for (const [name, child] of Object.entries(schema.properties))
            out.push(...rows(child, key, [...path, name], defaults, (schema.required ?? []).includes(name)));
        return out;
    }
    if (schema.type === "array" && schema.items?.type === "object" && schema.items.properties) {
        return [row(), ...rows(schema.items, key, [...path, "[]"], defaults, true)];
    }
    return [row()];
}

/** Every setting of every section, in schema order. */
export function settingRows(): SettingRow[] {
    return SECTIONS.flatMap((section) => {
        const schema = z.toJSONSchema(section.schema, { unrepresentable: "any", io: "input" }) as JsonSchema;
        const defaults = Object.fromEntries(ENVIRONMENTS.map((env) => [env, preparedDefaults(section, env)])) as Record<
            Environment,
            unknown
        >;
        return rows(schema, section.key, [], defaults, true);
    });
}

/** docs/settings.md. */
export function renderSettingsReference(): string {
    const all = settingRows();
    const lines = [
        "# Settings reference",
        "",
        "<!-- Generated by `npm run docs` from the config contract (stacks/sections.ts and stacks/schema/); do not edit. -->",
        "",
        "Every key a stack file (`stacks/Pulumi.<stack>.yaml`) may set, with its allowed values, its default per environment",
        "and the rules that judge it beyond its own type. A stack file holds only what differs from its environment's",
        "defaults. Unknown keys are errors; every problem is reported at once as `<key path>: <rule> (got <value>)`.",
        `Versions marked as following the Kubernetes minor come from the version table (stacks/versions/table.ts, as of ${VERSIONS_AS_OF}).`,
        "",
    ];
    for (const section of SECTIONS) {
        const schema = z.toJSONSchema(section.schema, { unrepresentable: "any", io: "input" }) as JsonSchema;
        lines.push(`## \`${section.key}\``, "", schema.description ?? "", "");
        const own = all.filter((x) => x.path === section.key || x.path.startsWith(`${section.key}.`));
        if (own.length === 1 && own[0]?.path === section.key) {
            lines.push(`Values: ${own[0].values}. Required in every stack file.`);
        } else lines.push("| setting | values | dev | staging | prod | what it is |", "|---|---|---|---|---|---|");
        for (const r of own.filter((x) => x.path !== section.key)) {
            const name = r.path === section.key ? `\`${r.path}\`` : `\`${r.path.slice(section.key.length + 1)}\``;
            const values = `${r.values}${r.required ? "" : " (optional)"}`;
            lines.push(`| ${name} | ${values} | ${r.defaults.dev} | ${r.defaults.staging} | ${r.defaults.prod} | ${r.description} |`);
        }
        const rules = RULES.filter((rule) => rule.reports.some((p) => p === section.key || p.startsWith(`${section.key}.`)));
        if (rules.length > 0) {
            lines.push("", "Rules beyond each value's own type:", "");
            for (const rule of rules) lines.push(`- ${rule.summary} (${rule.reports.map((p) => `\`${p}\``).join(", ")})`);
        }
        lines.push("");
    }
    return `${lines.join("\n").trimEnd()}\n`;
}
