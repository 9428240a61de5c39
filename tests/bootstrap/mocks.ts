// The bootstrap project under the offline plan's mock runtime (plan/runtime.ts installMockRuntime and its recorder),
// answered with ARNs shaped like IAM's, KMS's and S3's in the configured account (the platform's answers assume the
// mock account and a cluster).
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import type { BootstrapConfig } from "../../bootstrap/config";
import { BOOTSTRAP_PROJECT } from "../../bootstrap/names";
import { bootstrapAccount, type BootstrapOutputs } from "../../bootstrap/program";
import { installMockRuntime, resolveOutput, settle, type PlannedResource } from "../../plan";

export const BOOTSTRAP_DIR = path.resolve(__dirname, "../../bootstrap");
export const REPO_ROOT = path.resolve(__dirname, "../..");

/** The `config:` mapping of a stack file, as the file gives it. */
export function readStackConfig(file: string): Record<string, unknown> {
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    return doc?.config ?? {};
}

export const exampleConfig = (): Record<string, unknown> => readStackConfig(path.join(BOOTSTRAP_DIR, "Pulumi.example.yaml"));

export type Registration = PlannedResource;

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

export interface BootstrapPlan {
    registrations: Registration[];
    outputs: Record<string, unknown>;
    /** The one registration of `type` named `name`; throws otherwise. */
    one(type: string, name: string): Registration;
    byType(type: string): Registration[];
}

/** Runs bootstrapAccount(config) under the mock runtime; returns every registration and the resolved outputs. */
export async function planBootstrap(config: BootstrapConfig): Promise<BootstrapPlan> {
    const recorder = installMockRuntime({
        project: BOOTSTRAP_PROJECT,
        stack: config.stack,
        config: {},
        answers: {
            newResource: (type, name, inputs) => outputsFor(type, name, inputs, config.accountId, config.region),
            call: (token) => {
                const message = `bootstrap mocks: unexpected call ${token}: the program makes no lookups`;
                console.error(message);
                throw new Error(message);
            },
        },
    });
    let outputs: BootstrapOutputs | undefined;
    await pulumi.runtime.runInPulumiStack(async () => {
        outputs = bootstrapAccount(config);
        return undefined;
    });
    await settle();
    const resolved = (await resolveOutput(outputs)) as Record<string, unknown>;
    await settle();
    return {
        registrations: recorder.resources,
        outputs: resolved,
        byType: (type) => recorder.byType(type),
        one: (type, name) => recorder.one(type, name),
    };
}

/** A JSON document input (assumeRolePolicy, policy) of a registration, parsed. */
export function documentInput<T = unknown>(r: Registration, key: string): T {
    const value = r.inputs[key];
    if (typeof value !== "string") throw new Error(`${r.type} ${r.name}: ${key} is ${JSON.stringify(value)}, not a JSON document`);
    return JSON.parse(value) as T;
}
