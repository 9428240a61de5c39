// The recorder: every registration the program makes through the mock monitor, with its inputs (secrets and
// unknowns marked), parent, provider, dependency edges, protect, hooks, ignoreChanges, deleteBeforeReplace,
// deletedWith and retainOnDelete; and the children the mock models for remote @pulumi/eks components (standIn).
import { DependencyGraph } from "./dependencies";
import { isModeledRemoteType, noteRegistration } from "./mock-eks";
import type { PlannedResource, PlanResult } from "./types";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function plainValue(value: unknown): unknown {
    if (value === UNKNOWN) return "[unknown]";
    if (Array.isArray(value)) return value.map(plainValue);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        switch (obj[SIG_KEY]) {
            case SECRET_SIG:
                return "[secret]";
            case RESOURCE_SIG:
                return { resource: obj.urn };
            case undefined:
                break;
            default:
                return "[asset]";
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) out[k] = plainValue(v);
        return out;
    }
    return value;
}

export interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getProtect(): boolean;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getDeletedwith(): string;
    getRetainondelete(): boolean;
    getIgnorechangesList(): string[];
    getDeletebeforereplace(): boolean;
    getProvidersMap(): { forEach(cb: (v: string, k: string) => void): void };
    getHooks(): { toObject(): Record<string, string[]> } | undefined;
}
export interface MonitorLike {
    newUrn(parent: string, type: string, name: string): string;
    registerResourceHook?(req: unknown, cb: (err: unknown, res: unknown) => void): void;
    registerResource(req: RegisterRequest, cb: (err: unknown, res: unknown) => void): Promise<void>;
}

// The resource last recorded under each type and name, for the id the mock answers it with right after.
const awaitingId = new Map<string, PlannedResource>();

/** Called by the mock with the id it gives a resource (plan/mock-outputs.ts): stack policies read ids. */
export function noteMockedId(type: string, name: string, id: string): void {
    const resource = awaitingId.get(`${type}::${name}`);
    if (resource && id !== "") resource.id = id;
    awaitingId.delete(`${type}::${name}`);
}

/** Every resource registered since `setupMocks`, in registration order. */
export class Recorder {
    readonly resources: PlannedResource[] = [];

    /** A Recorder over a saved plan's resources, for its lookups and dependency checks. */
    static of(plan: PlanResult): Recorder {
        const recorder = new Recorder();
        recorder.resources.push(...plan.resources);
        return recorder;
    }

    byType(type: string): PlannedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` (named `name` when given); throws when there is none or more than one. */
    one(type: string, name?: string): PlannedResource {
        const found = this.byType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            throw new Error(
                `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${this.byType(type)
                    .map((r) => r.name)
                    .join(", ")}`,
            );
        }
        return found[0] as PlannedResource;
    }

    byUrn(urn: string): PlannedResource | undefined {
        return this.resources.find((r) => r.urn === urn);
    }

    /** True when `from` waits for `to` directly or through a chain of dependencies (plan/dependencies.ts). */
    dependsOn(from: PlannedResource, to: PlannedResource): boolean {
        return new DependencyGraph(this.resources).waitsFor(from, to);
    }

    record(req: RegisterRequest, urn: string): void {
        const dependencies = new Set(req.getDependenciesList());
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v, k) => {
            propertyDependencies[k] = v.getUrnsList();
            v.getUrnsList().forEach((u) => dependencies.add(u));
        });
        const providers: Record<string, string> = {};
        req.getProvidersMap().forEach((v, k) => (providers[k] = v));
        noteRegistration({
            type: req.getType(),
            name: req.getName(),
            urn,
            parent: req.getParent(),
            custom: req.getCustom(),
            protect: req.getProtect(),
            providers,
            propertyDependencies,
        });
        const raw = req.getObject()?.toJavaScript() ?? {};
        const hooksRaw = req.getHooks()?.toObject();
        const hooks: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(hooksRaw ?? {})) if (Array.isArray(v) && v.length > 0) hooks[k.replace(/List$/, "")] = v;
        const name = req.getName();
        const resource: PlannedResource = {
            urn,
            type: req.getType(),
            name,
            custom: req.getCustom(),
            dependencies: [...dependencies].sort(),
            inputs: plainValue(raw) as Record<string, unknown>,
            protect: req.getProtect(),
        };
        if (req.getParent()) resource.parent = req.getParent();
        if (req.getProvider()) resource.provider = req.getProvider();
        if (Object.keys(hooks).length > 0) resource.hooks = hooks;
        if (req.getDeletedwith()) resource.deletedWith = req.getDeletedwith();
        if (req.getRetainondelete()) resource.retainOnDelete = true;
        if (req.getIgnorechangesList().length > 0) resource.ignoreChanges = [...req.getIgnorechangesList()];
        if (req.getDeletebeforereplace()) resource.deleteBeforeReplace = true;
        // Only the mock registers resources under a remote component (plan/mock-eks.ts, mock-yaml.ts), as its provider would.
        const parent = resource.parent ? this.byUrn(resource.parent) : undefined;
        if (parent && (parent.standIn || (!parent.custom && isModeledRemoteType(parent.type)))) resource.standIn = true;
        if (resource.custom) awaitingId.set(`${resource.type}::${name}`, resource);
        this.resources.push(resource);
    }
}
