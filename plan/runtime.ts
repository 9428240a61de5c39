// The mock runtime: Pulumi's own `setMocks` answered by ./mock-outputs, every registration recorded by ./recorder,
// and the runner that plans a whole stack (index.ts) under it. Used by `npm run plan`, the benchmark and the tests.
import * as pulumi from "@pulumi/pulumi";
import { parsePlatformConfig, PROJECT, type PlatformConfig } from "../stacks/config";
import { mockCall, mockOutputs, setMockTarget } from "./mock-outputs";
import { Recorder, type MonitorLike, type RegisterRequest } from "./recorder";
import { recordRegistrationOptions, type RegistrationOptions } from "./registration";
import { rawConfigFor, type StackSource } from "./stack";
import type { PlanResult } from "./types";

/** What the mock runtime answers resources and lookups with. */
export interface MockAnswers {
    newResource(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> };
    call(token: string, inputs: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Installs Pulumi's mock runtime for one program run: the config Pulumi would hand the program (strings, objects
 * JSON-encoded), the answers (this project's realistic outputs by default), and a recorder that sees every
 * registration in order. Any Pulumi program of this repository (the platform, the bootstrap project) runs under it.
 */
export function installMockRuntime(options: {
    project: string;
    stack: string;
    config: Record<string, unknown>;
    answers?: MockAnswers;
}): Recorder {
    const stringConfig: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.config))
        stringConfig[key] = typeof value === "string" ? value : JSON.stringify(value);
    pulumi.runtime.setAllConfig(stringConfig, []);
    const answers = options.answers ?? { newResource: mockOutputs, call: mockCall };
    const recorder = new Recorder();
    void pulumi.runtime.setMocks(
        {
            newResource: (args) => answers.newResource(args.type, args.name, args.inputs as Record<string, unknown>),
            call: (args) => answers.call(args.token, args.inputs as Record<string, unknown>),
        },
        options.project,
        options.stack,
        false,
    );
    const monitor = (pulumi.runtime as unknown as { getMonitor(): MonitorLike }).getMonitor();
    // Pulumi's MockMonitor has no registerResourceHook: binding a ResourceHook would fail with a TypeError. Hooks are
    // registered and recorded on each resource (PlannedResource.hooks), never run, as under `pulumi preview`.
    if (typeof monitor.registerResourceHook !== "function") monitor.registerResourceHook = (_req, cb) => cb(null, {});
    const register = monitor.registerResource.bind(monitor);
    const urnOf = (parent: string, type: string, name: string) => monitor.newUrn(parent, type, name);
    monitor.registerResource = (req, cb) => {
        recorder.record(req, urnOf(req.getParent(), req.getType(), req.getName()));
        const recorded = recorder.resources[recorder.resources.length - 1];
        if (recorded) recordRegistrationOptions(recorded, req as RegisterRequest & RegistrationOptions, urnOf);
        return register(req, cb);
    };
    return recorder;
}

/** The mock runtime for a stack of the platform: its config validated first, exactly as index.ts would. */
export function setupMocks(source: StackSource | string): { config: PlatformConfig; recorder: Recorder; raw: Record<string, unknown> } {
    const s = typeof source === "string" ? { stack: source } : source;
    const raw = rawConfigFor(s);
    // Validation runs here too so a bad stack fails before the program is loaded, exactly as index.ts would.
    const config = parsePlatformConfig(raw, s.stack);
    setMockTarget({ region: config.region, clusterName: config.clusterName });
    const recorder = installMockRuntime({ project: PROJECT, stack: s.stack, config: raw });
    return { config, recorder, raw };
}

/** Waits until every registration and output resolution queued so far has finished. */
export async function settle(): Promise<void> {
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    // Outputs resolve in later ticks and may register more resources: wait until the queue stays empty.
    for (let i = 0; i < 3; i++) {
        await settings.waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
    }
}

/** Resolves a stack output for the plan: secrets become "[secret]". */
export async function resolveOutput(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const out = value as pulumi.Output<unknown> & { isSecret: Promise<boolean>; promise(): Promise<unknown> };
        if (await out.isSecret) return "[secret]";
        return resolveOutput(await out.promise());
    }
    if (pulumi.Resource.isInstance(value)) return { resource: await (value.urn as unknown as { promise(): Promise<string> }).promise() };
    if (Array.isArray(value)) return Promise.all(value.map(resolveOutput));
    if (value && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = await resolveOutput(v);
        return out;
    }
    return value;
}

/**
 * Runs the whole program (`index.ts`) for a stack under the mock runtime and returns every resource it declares
 * with its inputs and dependency edges, and its stack outputs. One call per process: Pulumi's state is global.
 */
export async function planStack(
    source: StackSource | string,
    loadProgram: () => Promise<Record<string, unknown>> = async () => (await import("../index")) as Record<string, unknown>,
): Promise<PlanResult> {
    const s = typeof source === "string" ? { stack: source } : source;
    const { recorder } = setupMocks(s);
    let exported: Record<string, unknown> = {};
    await pulumi.runtime.runInPulumiStack(async () => {
        exported = await loadProgram();
        return undefined;
    });
    await settle();
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exported)) {
        if (key === "__esModule" || typeof value === "function") continue;
        outputs[key] = await resolveOutput(value);
    }
    await settle();
    return { project: PROJECT, stack: s.stack, resources: recorder.resources, outputs };
}
