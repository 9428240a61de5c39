// One validator for emitted custom resources against upstream CRDs (Karpenter, Calico, the LB controller, Gateway API,
// Kyverno, Argo CD): the version's openAPIV3Schema as JSON Schema for ajv, with Kubernetes' extensions honoured
// (int-or-string, preserve-unknown-fields) and unknown fields refused, as the API server's strict field validation
// does (by default it would silently prune them, so a typo would vanish unnoticed). CEL rules are not run.
import * as fs from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";

type Schema = Record<string, unknown>;

interface Crd {
    kind: string;
    spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
}

/** The CRD's OpenAPI v3 schema as JSON Schema for ajv. */
export function toJsonSchema(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(toJsonSchema);
    if (!node || typeof node !== "object") return node;
    const src = node as Schema;
    const out: Schema = {};
    for (const [key, value] of Object.entries(src)) {
        if (key.startsWith("x-kubernetes-") || key === "description") continue;
        out[key] =
            key === "properties"
                ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v)]))
                : toJsonSchema(value);
    }
    if (src["x-kubernetes-int-or-string"] === true) {
        delete out.type;
        out.anyOf = [{ type: "integer" }, { type: "string" }];
    }
    if (src.properties && src.additionalProperties === undefined && src["x-kubernetes-preserve-unknown-fields"] !== true)
        out.additionalProperties = false;
    return out;
}

const cache = new Map<string, Crd[]>();
function crdsIn(file: string): Crd[] {
    let crds = cache.get(file);
    if (!crds) {
        crds = parseAllDocuments(fs.readFileSync(file, "utf8"))
            .map((d) => d.toJS() as Crd | null)
            .filter((d): d is Crd => d?.kind === "CustomResourceDefinition");
        cache.set(file, crds);
    }
    return crds;
}

/**
 * A validator for one kind and version of a CRD file (a file may hold several CRDs). metadata is left to the API
 * server (the CRDs list it as a bare object).
 */
export function crdValidator(file: string, version: string, kind?: string): ValidateFunction {
    const crds = crdsIn(file).filter((c) => kind === undefined || c.spec.names.kind === kind);
    if (crds.length !== 1) throw new Error(`${file}: expected one CRD${kind ? ` of kind ${kind}` : ""}, found ${crds.length}`);
    const v = (crds[0] as Crd).spec.versions.find((x) => x.name === version);
    if (!v) throw new Error(`${file}: ${kind ?? "the CRD"} has no version ${version}`);
    return new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(toJsonSchema(v.schema.openAPIV3Schema) as Schema);
}

/** The validator's errors as short lines (path and message), for assertion messages. */
export function schemaErrors(validate: ValidateFunction, object: unknown): string[] {
    if (validate(object)) return [];
    return (validate.errors ?? []).map(
        (e) => `${e.instancePath || "/"} ${e.message ?? ""}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`,
    );
}
