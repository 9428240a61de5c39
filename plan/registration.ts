// What the offline diff reads from a registration beyond what the recorder keeps: the URNs feeding each top-level
// input (when one of them is replaced, `pulumi preview` sees that input as unknown), the URNs the resource's aliases
// resolve to (a renamed resource with an alias is the same resource), and its replaceOnChanges / ignoreChanges.
import type { PlannedResource } from "./types";

/** The parts of Pulumi's RegisterResourceRequest (proto/resource_pb) read here. */
export interface RegistrationOptions {
    getType(): string;
    getName(): string;
    getParent(): string;
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getAliasesList(): AliasMessage[];
    getReplaceonchangesList(): string[];
    getIgnorechangesList(): string[];
}

/** proto.pulumirpc.Alias: a URN, or a spec whose blank fields default to the resource's own. */
export interface AliasMessage {
    getUrn(): string;
    hasSpec(): boolean;
    getSpec():
        | { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean; getStack(): string; getProject(): string }
        | undefined;
}

/** How the running monitor builds URNs (the mock monitor's own, so alias URNs match the recorded ones). */
export type UrnOf = (parent: string, type: string, name: string) => string;

/**
 * The URN an alias names. A spec's blank name, type and parent default to the resource's own (the SDK passes the
 * resource's parent along when the alias names none, sdk/nodejs runtime/resource.ts mapAliasesForRequest); aliases
 * to another stack or project cannot match anything in this stack's plan and are dropped.
 */
export function aliasUrn(alias: AliasMessage, resource: { type: string; name: string; parent: string }, urnOf: UrnOf): string | undefined {
    if (!alias.hasSpec()) return alias.getUrn() || undefined;
    const spec = alias.getSpec();
    if (!spec) return undefined;
    if (spec.getStack() || spec.getProject()) return undefined;
    const parent = spec.getNoparent() ? "" : spec.getParenturn() || resource.parent;
    return urnOf(parent, spec.getType() || resource.type, spec.getName() || resource.name);
}

/** Adds the registration's property dependencies, aliases, replaceOnChanges and ignoreChanges to its planned resource. */
export function recordRegistrationOptions(resource: PlannedResource, req: RegistrationOptions, urnOf: UrnOf): void {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v, k) => {
        const urns = v.getUrnsList();
        if (urns.length > 0) propertyDependencies[k] = [...urns].sort();
    });
    if (Object.keys(propertyDependencies).length > 0) resource.propertyDependencies = propertyDependencies;
    const self = { type: req.getType(), name: req.getName(), parent: req.getParent() };
    const aliases = req
        .getAliasesList()
        .map((a) => aliasUrn(a, self, urnOf))
        .filter((u): u is string => u !== undefined && u !== resource.urn);
    if (aliases.length > 0) resource.aliases = aliases;
    if (req.getReplaceonchangesList().length > 0) resource.replaceOnChanges = [...req.getReplaceonchangesList()];
}
