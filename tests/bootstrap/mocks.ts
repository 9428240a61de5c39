// A small mock runtime for the bootstrap project (Pulumi's own setMocks): ARNs shaped like IAM's, KMS's and S3's,
// and a record of every registration (type, name, inputs, protect). Local to tests/bootstrap on purpose: the main
// program's mock module answers a different program.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import type { BootstrapConfig } from "../../bootstrap/config";
import { BOOTSTRAP_PROJECT } from "../../bootstrap/names";
import { bootstrapAccount, type BootstrapOutputs } from "../../bootstrap/program";

export const BOOTSTRAP_DIR = path.resolve(__dirname, "../../bootstrap");
export const REPO_ROOT = path.resolve(__dirname, "../..");

/** The `config:` mapping of a stack file, as the file gives it. */
export function readStackConfig(file: string): Record<string, unknown> {
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    return doc?.config ?? {};
}

export const exampleConfig = (): Record<string, unknown> => readStackConfig(path.join(BOOTSTRAP_DIR, "Pulumi.example.yaml"));

export interface Registration {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    protect: boolean;
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function plain(value: unknown): unknown {
    if (value === UNKNOWN) return "[unknown]";
    if (Array.isArray(value)) return value.map(plain);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG_KEY] === SECRET_SIG) return "[secret]";
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v)]));
    }
    return value;
}

/** The ARN the mocks give the KMS key of logical name `name`: tests tell keys apart by what the program wires in. */
export function mockKeyArn(name: string, account: string, region: string): string {
    const hex = Buffer.from(name).toString("hex").padEnd(12, "0").slice(0, 12);
    return `arn:aws:kms:${region}:${account}:key/0000aaaa-1111-4222-8333-${hex}`;
}

const str = (v: unknown, fallback: string) => (typeof v === "string" && v !== "" ? v : fallback);

function outputsFor(type: string, name: string, inputs: Record<string, unknown>, account: string, region: string) {
    const iamPath = str(inputs.path, "/");
    switch (type) {
        case "aws:iam/role:Role": {
            const n = str(inputs.name, name);
            return { id: n, state: { ...inputs, name: n, arn: `arn:aws:iam::${account}:role${iamPath}${n}` } };
        }
        case "aws:iam/policy:Policy": {
            const arn = `arn:aws:iam::${account}:policy${iamPath}${str(inputs.name, name)}`;
            return { id: arn, state: { ...inputs, arn } };
        }
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
            const arn = `arn:aws:iam::${account}:oidc-provider/${str(inputs.url, "").replace("https://", "")}`;
            return { id: arn, state: { ...inputs, arn } };
        }
        case "aws:kms/key:Key": {
            const arn = mockKeyArn(name, account, region);
            return { id: arn.split("/")[1] as string, state: { ...inputs, keyId: arn.split("/")[1], arn } };
        }
        case "aws:s3/bucket:Bucket": {
            const bucket = str(inputs.bucket, name);
            return { id: bucket, state: { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}` } };
        }
        default:
            return { id: `${name}-id`, state: inputs };
    }
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getProtect(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface MonitorLike {
    registerResource(req: RegisterRequest, cb: (err: unknown, res: unknown) => void): Promise<void>;
}

async function settle(): Promise<void> {
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    for (let i = 0; i < 3; i++) {
        await settings.waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
    }
}

async function resolve(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) return resolve(await (value as unknown as { promise(): Promise<unknown> }).promise());
    if (Array.isArray(value)) return Promise.all(value.map(resolve));
    if (value && typeof value === "object")
        return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)] as const)));
    return value;
}

export interface BootstrapPlan {
    registrations: Registration[];
    outputs: Record<string, unknown>;
    /** The one registration of `type` named `name`; throws otherwise. */
    one(type: string, name: string): Registration;
    byType(type: string): Registration[];
}

/** Runs bootstrapAccount(config) under the mock runtime; returns every registration and the resolved outputs. */
export async function planBootstrap(config: BootstrapConfig): Promise<BootstrapPlan> {
    const registrations: Registration[] = [];
    pulumi.runtime.setAllConfig({}, []);
    void pulumi.runtime.setMocks(
        {
            newResource: (args) =>
                outputsFor(args.type, args.name, args.inputs as Record<string, unknown>, config.accountId, config.region),
            call: (args) => {
                const message = `bootstrap mocks: unexpected call ${args.token}: the program makes no lookups`;
                console.error(message);
                throw new Error(message);
            },
        },
        BOOTSTRAP_PROJECT,
        config.stack,
        false,
    );
    const monitor = (pulumi.runtime as unknown as { getMonitor(): MonitorLike }).getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        registrations.push({
            type: req.getType(),
            name: req.getName(),
            inputs: plain(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
            protect: req.getProtect(),
        });
        return register(req, cb);
    };
    let outputs: BootstrapOutputs | undefined;
    await pulumi.runtime.runInPulumiStack(async () => {
        outputs = bootstrapAccount(config);
        return undefined;
    });
    await settle();
    const resolved = (await resolve(outputs)) as Record<string, unknown>;
    await settle();
    const byType = (type: string) => registrations.filter((r) => r.type === type);
    return {
        registrations,
        outputs: resolved,
        byType,
        one(type, name) {
            const found = byType(type).filter((r) => r.name === name);
            if (found.length !== 1)
                throw new Error(
                    `expected one ${type} named ${name}, found ${byType(type)
                        .map((r) => r.name)
                        .join(", ")}`,
                );
            return found[0] as Registration;
        },
    };
}

/** A JSON document input (assumeRolePolicy, policy) of a registration, parsed. */
export function documentInput<T = unknown>(r: Registration, key: string): T {
    const value = r.inputs[key];
    if (typeof value !== "string") throw new Error(`${r.type} ${r.name}: ${key} is ${JSON.stringify(value)}, not a JSON document`);
    return JSON.parse(value) as T;
}
