// Shared by the cni and ingress tests: where the pinned upstream reference data lives (absent in a user's clone) and
// a validator that checks an object against a CRD's openAPIV3Schema the way the API server with strict field
// validation does (unknown fields are errors, not silently pruned).
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { parse as parseYaml } from "yaml";

export const REFERENCE_DIR = path.resolve(__dirname, "../../shared/reference");

/** The reference file's path, or undefined (with a warning naming the test) when the reference data is absent. */
export function referenceFile(relative: string, why: string): string | undefined {
    const file = path.join(REFERENCE_DIR, relative);
    if (fs.existsSync(file)) return file;
    console.warn(`skipping ${why}: upstream reference ${file} is not present (it is in CI, not in a user's clone)`);
    return undefined;
}

type Schema = Record<string, unknown>;

/** Adds additionalProperties: false wherever a schema lists properties and does not keep unknown fields. */
export function strictSchema(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(strictSchema);
    if (!schema || typeof schema !== "object") return schema;
    const out: Schema = {};
    for (const [k, v] of Object.entries(schema as Schema))
        out[k] =
            k === "properties" ? Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, strictSchema(s)])) : strictSchema(v);
    if (out.properties && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true)
        out.additionalProperties = false;
    return out;
}

/** A validator for the CRD's version `version`, strict about unknown fields; metadata is left to the API server. */
export function crdValidator(crdFile: string, version: string): ValidateFunction {
    const crd = parseYaml(fs.readFileSync(crdFile, "utf8")) as {
        spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
    };
    const v = crd.spec.versions.find((x) => x.name === version);
    if (!v) throw new Error(`${crdFile} has no version ${version}`);
    const schema = strictSchema(v.schema.openAPIV3Schema) as Schema;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    return ajv.compile(schema);
}
