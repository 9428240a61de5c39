// One check that the Helm values we pass use only keys the pinned chart's default values.yaml has (a misspelled key
// is silently ignored by Helm, so the setting it meant never applies).
import * as fs from "node:fs";
import { parse as parseYaml } from "yaml";

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Maps whose keys are data, not settings (label and selector maps): any key goes below them. */
const DATA_MAPS = new Set(["nodeSelector", "labels", "annotations", "podLabels", "podAnnotations", "matchLabels", "additionalLabels"]);

export interface UnknownPathOptions {
    /** Paths (a/b/c) the chart accepts though its values.yaml does not list them (subcharts' keys, documented keys). */
    known?: ReadonlySet<string>;
    /** Paths of free-form maps (the chart marks them so): anything goes below them. */
    freeForm?: ReadonlySet<string>;
}

/** Key paths in `values` the chart's defaults do not have (below an empty map, null or a list anything goes). */
export function unknownValuePaths(values: unknown, defaults: unknown, options: UnknownPathOptions = {}, prefix: string[] = []): string[] {
    if (!isMap(values)) return [];
    const out: string[] = [];
    for (const [key, value] of Object.entries(values)) {
        const here = [...prefix, key];
        const path = here.join("/");
        if (value === undefined) continue;
        if (!isMap(defaults) || !(key in defaults)) {
            if (!options.known?.has(path)) out.push(path);
            continue;
        }
        const def = defaults[key];
        if (options.freeForm?.has(path) || DATA_MAPS.has(key)) continue;
        if (isMap(def) && Object.keys(def).length > 0) out.push(...unknownValuePaths(value, def, options, here));
    }
    return out;
}

/** A chart's default values from a reference file. */
export const chartDefaults = (file: string): Record<string, unknown> => parseYaml(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
