// Comparison of two offline plans (the JSON `npm run plan -- --json` writes), told as `pulumi preview` would: per
// resource create, update, replace or delete with the changed input paths and their values (secrets masked), why a
// resource is replaced (a create-only input, a URN moved without an alias, a replaced provider, an input fed by a
// replaced resource), deletions Pulumi refuses (protect) and deletions that destroy data.
import { createOnlyInputs, REFUSED_UPDATES, REMOTE_COMPONENT_CHILD, replacingPaths, topLevelIsCreateOnly } from "./replacements";
import { changedPaths, containsSecret, isObj, SECRET, underAny, valueAtPath } from "./paths";
import { dataAtRisk } from "./stateful";
import type { PlanResult, PlannedResource } from "./types";

export type Operation = "create" | "update" | "replace" | "delete";

/** One changed input path, values as the plans hold them ("[secret]" for any path that is secret on either side). */
export interface InputChange {
    path: string;
    before: unknown;
    after: unknown;
    /** This path is create-only: its change is (one of) the reasons for the replacement. */
    replaces?: boolean;
}

export interface ResourceChange {
    op: Operation;
    urn: string;
    type: string;
    name: string;
    /** The base plan's URN of a resource whose URN changed without an alias. */
    renamedFrom?: string;
    inputs: InputChange[];
    /** Resource options that changed (protect, hooks, dependencies, provider): no provider call of their own. */
    options: string[];
    replaceReasons: string[];
    /** Why `pulumi up` would stop at this change. */
    blocked?: string;
    /** What data the deletion (or the delete half of the replacement) destroys. */
    dataLoss?: string;
    notes: string[];
}

export interface PlanDiff {
    changes: ResourceChange[];
    /** Resources whose options alone changed: Pulumi registers them without a provider call (counted unchanged). */
    optionsOnly: ResourceChange[];
    unchanged: number;
    /** Changed types this diff has no replacement rules for: their changes are shown as updates. */
    unknownTypes: string[];
}

/** One input change with both sides masked when either side is (or holds) a secret: a secret's value never shows. */
export function maskedChange(path: string, before: unknown, after: unknown): InputChange {
    const b = valueAtPath(before, path);
    const a = valueAtPath(after, path);
    return containsSecret(b) || containsSecret(a) ? { path, before: SECRET, after: SECRET } : { path, before: b, after: a };
}

/** The URN part of a provider reference (`<urn>::<id>`). */
export const providerUrn = (ref: string | undefined) => (ref ? ref.replace(/::[^:]*$/, "") : undefined);

// A standIn child of a remote component inherits its protect, as the component's provider creates it with that parent.
function effectiveProtect(r: PlannedResource, byUrn: Map<string, PlannedResource>): boolean {
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    return r.protect || (r.standIn === true && parent?.protect === true);
}

// Resources that only moved: a deleted and a created resource of one type with the same name (a new parent) or the
// same inputs. Pulumi deletes and creates them unless the new one has an alias to the old URN.
function pairRenames(created: PlannedResource[], deleted: PlannedResource[]): Map<string, PlannedResource> {
    const pairs = new Map<string, PlannedResource>();
    const free = new Set(deleted);
    for (const match of [
        (a: PlannedResource, b: PlannedResource) => a.name === b.name,
        (a: PlannedResource, b: PlannedResource) => JSON.stringify(a.inputs) === JSON.stringify(b.inputs),
    ]) {
        for (const n of created) {
            if (pairs.has(n.urn)) continue;
            const o = [...free].find((d) => d.type === n.type && match(n, d));
            if (o) {
                pairs.set(n.urn, o);
                free.delete(o);
            }
        }
    }
    return pairs;
}

// Whether a dependent's input shows that what it takes from the replaced resource is one of its own inputs (a name,
// known in preview) rather than a computed output (an id or ARN, unknown until the replacement exists): some string in
// it equals, or contains, one of the resource's input strings. Property dependencies are per top-level input, so this
// is the finest evidence the plan holds.
function echoesInputs(value: unknown, source: PlannedResource): boolean {
    const leaves = (v: unknown): string[] =>
        typeof v === "string" ? [v] : Array.isArray(v) ? v.flatMap(leaves) : isObj(v) ? Object.values(v).flatMap(leaves) : [];
    const known = leaves(source.inputs);
    const exact = new Set(known);
    const long = known.filter((k) => k.length >= 8);
    return leaves(value).some((s) => exact.has(s) || long.some((k) => s.includes(k)));
}

/** Top-level input keys holding a reference to one of `urns` (a resource passed as an input, e.g. a remote component's `cluster`). */
function referencedKeys(inputs: Record<string, unknown>, urns: ReadonlySet<string>): string[] {
    return Object.entries(inputs)
        .filter(([, v]) => [...JSON.stringify(v ?? null).matchAll(/"resource":"([^"]+)"/g)].some((m) => urns.has(m[1] as string)))
        .map(([k]) => k);
}

/** Both plans, indexed, with each next resource's counterpart in the base (same URN, an alias, or a rename). */
interface Pairing {
    base: PlanResult;
    next: PlanResult;
    before: Map<string, PlannedResource>;
    after: Map<string, PlannedResource>;
    /** Next URN -> the base resource it continues (same URN or an alias). */
    old: Map<string, PlannedResource>;
    /** Next URN -> the base resource it moved from without an alias. */
    renames: Map<string, PlannedResource>;
    deleted: PlannedResource[];
}

function pair(base: PlanResult, next: PlanResult): Pairing {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(next.resources.map((r) => [r.urn, r]));
    const old = new Map<string, PlannedResource>();
    for (const r of next.resources) {
        const match = before.get(r.urn) ?? (r.aliases ?? []).map((a) => before.get(a)).find((o) => o !== undefined);
        if (match) old.set(r.urn, match);
    }
    const continued = new Set([...old.values()].map((o) => o.urn));
    const unmatched = base.resources.filter((r) => !continued.has(r.urn) && !after.has(r.urn));
    const renames = pairRenames(
        next.resources.filter((r) => !old.has(r.urn)),
        unmatched,
    );
    const moved = new Set([...renames.values()].map((o) => o.urn));
    return { base, next, before, after, old, renames, deleted: unmatched.filter((r) => !moved.has(r.urn)) };
}

const blank = (r: PlannedResource, op: Operation): ResourceChange => ({
    op,
    urn: r.urn,
    type: r.type,
    name: r.name,
    inputs: [],
    options: [],
    replaceReasons: [],
    notes: [],
});

/** Each next resource against its counterpart: changed inputs, create-only replacements, option changes. */
function directChanges(p: Pairing, unknownTypes: Set<string>): Map<string, ResourceChange> {
    const results = new Map<string, ResourceChange>();
    const childReasons = new Map<string, string[]>();
    for (const n of p.next.resources) {
        const renamedFrom = p.renames.get(n.urn);
        const prior = p.old.get(n.urn) ?? renamedFrom;
        if (!prior) {
            results.set(n.urn, blank(n, "create"));
            continue;
        }
        const change = blank(n, "update");
        if (renamedFrom) {
            change.renamedFrom = renamedFrom.urn;
            change.replaceReasons.push(
                `its URN changed from ${renamedFrom.urn} without an alias: Pulumi deletes the old one and creates this one (add aliases: [that URN] to keep it)`,
            );
        }
        const ignore = n.ignoreChanges ?? [];
        change.inputs = changedPaths(prior.inputs, n.inputs)
            .filter((path) => !underAny(path, ignore))
            .map((path) => maskedChange(path, prior.inputs, n.inputs));
        const rule = createOnlyInputs(n.type, providerInputs(p, n));
        if (!rule && n.custom && change.inputs.length > 0) unknownTypes.add(n.type);
        const bare = (path: string) => path.replace(/ \(removed\)$/, "");
        const replacing = rule ? replacingPaths(rule, prior.inputs, n.inputs).filter((path) => !underAny(bare(path), ignore)) : [];
        for (const c of change.inputs)
            c.replaces = replacing.some((path) => underAny(c.path, [bare(path)]) || underAny(bare(path), [c.path]));
        if (rule?.child && replacing.length > 0) {
            const child = p.next.resources.find((c) => c.parent === n.urn && c.type === rule.child);
            const why = `${n.type} ${n.name}: ${replacing.join(", ")} changed, which ${rule.child} takes at creation only`;
            if (child) childReasons.set(child.urn, [...(childReasons.get(child.urn) ?? []), why]);
            else change.replaceReasons.push(`${replacing.join(", ")} changed: replaces its child ${rule.child} (not in the offline plan)`);
        } else {
            const onChanges = n.replaceOnChanges ?? [];
            const forced = change.inputs.filter((c) => underAny(c.path, onChanges)).map((c) => `${c.path} (replaceOnChanges)`);
            change.replaceReasons.push(...replacing.map((path) => `${path} changed`), ...forced);
        }
        if (prior.protect !== n.protect) change.options.push(`protect: ${prior.protect} => ${n.protect}`);
        if (JSON.stringify(prior.hooks ?? {}) !== JSON.stringify(n.hooks ?? {})) change.options.push("hooks");
        if (JSON.stringify(prior.dependencies) !== JSON.stringify(n.dependencies)) change.options.push("dependencies");
        if (prior.provider !== n.provider)
            change.options.push(`provider: ${prior.provider ?? "(default)"} => ${n.provider ?? "(default)"}`);
        results.set(n.urn, change);
    }
    for (const [urn, reasons] of childReasons) (results.get(urn) as ResourceChange).replaceReasons.push(...reasons);
    return results;
}

const providerInputs = (p: Pairing, r: PlannedResource) => p.after.get(providerUrn(r.provider) ?? "")?.inputs;

/** The inputs of `n` that a replaced resource feeds (so they are unknown in preview), each with that resource. */
function fedByReplaced(n: PlannedResource, unknownAfter: Map<string, PlannedResource>): Map<string, PlannedResource> {
    const fed = new Map<string, PlannedResource>();
    for (const [key, urns] of Object.entries(n.propertyDependencies ?? {})) {
        const source = urns.map((u) => unknownAfter.get(u)).find((s) => s !== undefined && !echoesInputs(n.inputs[key], s));
        if (source) fed.set(key, source);
    }
    for (const key of referencedKeys(n.inputs, new Set(unknownAfter.keys()))) {
        const source = [...unknownAfter.values()].find((s) => JSON.stringify(n.inputs[key]).includes(s.urn));
        if (source && !fed.has(key)) fed.set(key, source);
    }
    return fed;
}

// In registration order (a resource registers after what feeds its inputs): a replaced resource's outputs are unknown
// in preview, so its dependents' inputs are too; a replaced provider replaces every resource it manages.
function propagateReplacements(p: Pairing, results: Map<string, ResourceChange>): void {
    // Outputs unknown in preview: replaced resources, and remote components whose child is replaced.
    const unknownAfter = new Map<string, PlannedResource>();
    for (const n of p.next.resources) {
        const change = results.get(n.urn) as ResourceChange;
        if (change.op === "create") continue;
        const replacedProvider = unknownAfter.get(providerUrn(n.provider) ?? "");
        if (replacedProvider?.type.startsWith("pulumi:providers:"))
            change.replaceReasons.push(`its provider ${replacedProvider.name} is replaced`);
        if (n.deletedWith && unknownAfter.has(n.deletedWith)) change.replaceReasons.push(`the resource it is deletedWith is replaced`);
        const rule = createOnlyInputs(n.type, providerInputs(p, n));
        for (const [key, source] of fedByReplaced(n, unknownAfter)) {
            if (underAny(key, n.ignoreChanges ?? [])) continue;
            if (rule && topLevelIsCreateOnly(rule, key)) {
                const why = `${key} comes from ${source.name}, which is replaced: its new value is known only then`;
                const child = rule.child ? p.next.resources.find((c) => c.parent === n.urn && c.type === rule.child) : undefined;
                if (child) (results.get(child.urn) as ResourceChange).replaceReasons.push(`${n.name}: ${why}`);
                else
                    change.replaceReasons.push(
                        rule.child ? `${key} comes from ${source.name}, which is replaced, so its child ${rule.child} is replaced` : why,
                    );
            } else if (!change.inputs.some((c) => underAny(c.path, [key]))) {
                const was = valueAtPath(p.old.get(n.urn)?.inputs, key);
                change.inputs.push({
                    path: key,
                    before: containsSecret(was) ? SECRET : was,
                    after: `(known after ${source.name} is replaced)`,
                });
            }
        }
        if (change.replaceReasons.length > 0) {
            change.op = "replace";
            unknownAfter.set(n.urn, n);
            const parent = n.parent ? p.after.get(n.parent) : undefined;
            if (parent && REMOTE_COMPONENT_CHILD[parent.type] === n.type) unknownAfter.set(parent.urn, parent);
        }
    }
}

const PROTECTED_REPLACE =
    "protected: Pulumi refuses to replace it ('unable to replace resource ... as it is currently marked for protection'); set protect: false and run pulumi up first";
const PROTECTED_DELETE =
    "protected: Pulumi refuses to delete it ('cannot be deleted because it is protected'); set protect: false and run pulumi up first, or pulumi state unprotect";

export function diffPlans(base: PlanResult, next: PlanResult): PlanDiff {
    const p = pair(base, next);
    const unknownTypes = new Set<string>();
    const results = directChanges(p, unknownTypes);
    propagateReplacements(p, results);
    const diff: PlanDiff = { changes: [], optionsOnly: [], unchanged: 0, unknownTypes: [...unknownTypes].sort() };
    for (const n of next.resources) {
        const change = results.get(n.urn) as ResourceChange;
        if (change.op === "update" && change.inputs.length === 0) {
            if (change.options.length > 0) diff.optionsOnly.push(change);
            else diff.unchanged++;
            continue;
        }
        const refused = REFUSED_UPDATES[n.type];
        if (refused && change.op === "update" && change.inputs.some((c) => underAny(c.path, refused.paths))) {
            const child = REMOTE_COMPONENT_CHILD[n.type];
            const childReplaced = next.resources.some(
                (c) => c.parent === n.urn && c.type === child && results.get(c.urn)?.op === "replace",
            );
            if (!childReplaced) change.blocked = refused.reason;
        }
        const prior = p.old.get(n.urn) ?? p.renames.get(n.urn);
        if (change.op === "replace" && prior) {
            if (effectiveProtect(prior, p.before) && effectiveProtect(n, p.after)) change.blocked = PROTECTED_REPLACE;
            addDeletionRisks(change, prior, base.resources, "the replacement deletes the old one: ");
        }
        diff.changes.push(change);
    }
    for (const o of p.deleted) {
        const change = blank(o, "delete");
        if (effectiveProtect(o, p.before)) change.blocked = PROTECTED_DELETE;
        addDeletionRisks(change, o, base.resources, "");
        diff.changes.push(change);
    }
    return diff;
}

function addDeletionRisks(change: ResourceChange, prior: PlannedResource, plan: readonly PlannedResource[], prefix: string): void {
    const risk = dataAtRisk(prior, plan);
    if (risk.loss) change.dataLoss = `${prefix}${risk.loss}`;
    if (risk.note) change.notes.push(risk.note);
    for (const [step, names] of Object.entries(prior.hooks ?? {})) {
        if (/delete/i.test(step)) change.notes.push(`deleting it runs its ${step} hook ${names.join(", ")}`);
    }
}

export interface DiffCounts {
    create: number;
    update: number;
    replace: number;
    delete: number;
    blocked: number;
    dataLoss: number;
    unchanged: number;
}

export function countChanges(diff: PlanDiff): DiffCounts {
    const of = (op: Operation) => diff.changes.filter((c) => c.op === op).length;
    return {
        create: of("create"),
        update: of("update"),
        replace: of("replace"),
        delete: of("delete"),
        blocked: diff.changes.filter((c) => c.blocked).length,
        dataLoss: diff.changes.filter((c) => c.dataLoss).length,
        unchanged: diff.unchanged + diff.optionsOnly.length,
    };
}

/** What `--fail-on` can stop CI for. */
export const FAIL_ON_KINDS = ["replace", "delete", "data-loss", "blocked"] as const;
export type FailOnKind = (typeof FAIL_ON_KINDS)[number];

/** The changes that trip the given `--fail-on` kinds, one line each. */
export function failOnFindings(diff: PlanDiff, kinds: readonly FailOnKind[]): string[] {
    const hit = (c: ResourceChange, k: FailOnKind) =>
        k === "replace"
            ? c.op === "replace"
            : k === "delete"
              ? c.op === "delete"
              : k === "data-loss"
                ? c.dataLoss !== undefined
                : c.blocked !== undefined;
    return diff.changes.flatMap((c) => kinds.filter((k) => hit(c, k)).map((k) => `${k}: ${c.type} ${c.name}`));
}
