// The mock runtime: Pulumi's own `setMocks` with outputs realistic enough for the whole program, a recorder of
// every registration (inputs, parent, dependency edges, protect, hooks), and the loader of a stack's real
// `stacks/Pulumi.<stack>.yaml`. Used by the tests, the offline plan and the benchmark; nothing else mocks Pulumi.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { ConfigError, deepMerge, parsePlatformConfig, PROJECT, type ConfigProblem, type PlatformConfig } from "../stacks/config";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_PARTITION = "aws";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One resource as the program declares it: what `pulumi up` would register. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    /** The explicit provider, as `<provider urn>::<id>`. */
    provider?: string;
    /** URNs this resource waits for: explicit dependsOn and the resources whose outputs feed its inputs. */
    dependencies: string[];
    /** Inputs as registered; secrets read "[secret]", values unknown at plan time "[unknown]". */
    inputs: Record<string, unknown>;
    protect: boolean;
    /** Names of the resource hooks bound to it, by lifecycle step. */
    hooks?: Record<string, string[]>;
    /** The resources' own `deletedWith`, `retainOnDelete` and aliases where set. */
    deletedWith?: string;
    retainOnDelete?: boolean;
    /**
     * Set on resources the mock runtime registers to stand in for the children of a remote `@pulumi/eks`
     * component (e.g. its aws:eks/cluster:Cluster): they exist in a real deployment but their inputs here are
     * not the real ones, so policies and diffs skip them.
     */
    standIn?: true;
}

export interface PlanResult {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------------
// Stack configuration

/** Path of a stack's config file in stacks/. */
export function stackFile(stack: string): string {
    return path.join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`);
}

/** The `config:` mapping of a stack file, values as the file gives them (objects stay objects). */
export function loadStackConfig(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) throw new Error(`no stack file ${file}: stacks are ${listStacks().join(", ")}`);
    const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const config = doc?.config ?? {};
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        // Pulumi's stack files may hold `{ secure: <ciphertext> }`; offline we can only say a secret is there.
        out[key] = value && typeof value === "object" && "secure" in value ? "[secret]" : value;
    }
    return out;
}

export function listStacks(): string[] {
    return fs
        .readdirSync(path.join(REPO_ROOT, "stacks"))
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export interface StackSource {
    /** The stack name (also the default file stacks/Pulumi.<stack>.yaml). */
    stack: string;
    /** Another stack file to read instead (the bench's generated stacks, hand-edited test stacks). */
    file?: string;
    /** Values deep-merged over the file's config, by full key (e.g. "eks-platform:cni": { mode: "calico-cni" }). */
    overrides?: Record<string, unknown>;
}

/** The raw config map for a stack: its file plus overrides. */
export function rawConfigFor(source: StackSource): Record<string, unknown> {
    const raw = loadStackConfig(source.file ?? stackFile(source.stack));
    for (const [key, value] of Object.entries(source.overrides ?? {})) raw[key] = deepMerge(raw[key], value);
    return raw;
}

/** The validated PlatformConfig of a stack (throws the ConfigError a bad file gives). */
export function platformConfigFor(source: StackSource | string): PlatformConfig {
    const s = typeof source === "string" ? { stack: source } : source;
    return parsePlatformConfig(rawConfigFor(s), s.stack);
}

/** The problems of a stack's config (its file plus overrides); [] when it parses. */
export function configProblems(source: StackSource): ConfigProblem[] {
    try {
        platformConfigFor(source);
    } catch (err) {
        if (err instanceof ConfigError) return [...err.problems];
        throw err;
    }
    return [];
}

/** The ConfigError a stack's config (its file plus overrides) raises; fails the test when it parses. */
export function configError(source: StackSource): ConfigError {
    try {
        platformConfigFor(source);
    } catch (err) {
        if (err instanceof ConfigError) return err;
        throw err;
    }
    throw new Error(`expected a ConfigError for stack ${source.stack} with ${JSON.stringify(source.overrides)}`);
}

/** A problem as the error prints it: `<path>: <rule> (got <value>)`. */
export const problemLine = (p: ConfigProblem): string => `${p.path}: ${p.rule} (got ${p.value})`;

// ---------------------------------------------------------------------------------------------------------------
// Mock outputs

// Ids and generated names derive from the resource's type and name, never from registration order (which varies
// between runs), so two plans of the same program are identical and `--diff` shows only real changes.
let counter = 0;
function seedFrom(text: string): number {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    return h % 1_000_000;
}
const hex = (n: number, len: number) => n.toString(16).padStart(len, "0").slice(-len);
const nextId = (prefix: string) => `${prefix}-${hex(++counter * 2654435761, 17)}`;

interface MockState {
    region: string;
    clusterName: string;
}
const mockState: MockState = { region: "eu-west-1", clusterName: "eks-platform" };

const arn = (service: string, resource: string, region = mockState.region) =>
    `arn:${MOCK_PARTITION}:${service}:${region}:${MOCK_ACCOUNT_ID}:${resource}`;

function str(v: unknown, fallback: string): string {
    return typeof v === "string" && v !== "" ? v : fallback;
}

/** Outputs of `@pulumi/eks` Cluster, whose children the engine would make: the mock stands one of them in. */
function eksClusterOutputs(name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const clusterName = str(inputs.name, name);
    const oidcId = hex(counter * 7919 + 0xabcdef, 32).toUpperCase();
    const issuer = `https://oidc.eks.${mockState.region}.amazonaws.com/id/${oidcId}`;
    const endpoint = `https://${oidcId}.gr7.${mockState.region}.eks.amazonaws.com`;
    const caData = Buffer.from(`-----BEGIN CERTIFICATE-----\nMOCK-${clusterName}\n-----END CERTIFICATE-----\n`).toString("base64");
    const kubeconfig = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": caData } }],
        contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
        "current-context": "aws",
        users: [
            {
                name: "aws",
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", clusterName, "--output", "json"],
                    },
                },
            },
        ],
    };
    // The real component's child; registered so `cluster.eksCluster` is a live aws.eks.Cluster (dependsOn works).
    const eksCluster = new (require("@pulumi/aws") as typeof import("@pulumi/aws")).eks.Cluster(`${name}-eksCluster`, {
        name: clusterName,
        roleArn: arn("iam", `role/${clusterName}-eksRole`, ""),
        vpcConfig: { subnetIds: [] },
    });
    standInNames.add(`${name}-eksCluster`);
    const clusterSecurityGroupId = nextId("sg");
    return {
        ...inputs,
        eksCluster,
        kubeconfig,
        kubeconfigJson: JSON.stringify(kubeconfig),
        clusterSecurityGroupId,
        nodeSecurityGroupId: nextId("sg"),
        clusterIngressRuleId: nextId("sgrule"),
        oidcIssuer: issuer.replace("https://", ""),
        oidcProviderUrl: issuer,
        oidcProviderArn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${issuer.replace("https://", "")}`,
        instanceRoles: [],
        core: {
            cluster: eksCluster,
            endpoint,
            clusterSecurityGroupId,
            oidcProvider: undefined,
            vpcId: inputs.vpcId,
            subnetIds: inputs.subnetIds ?? [],
            privateSubnetIds: inputs.privateSubnetIds ?? [],
            publicSubnetIds: inputs.publicSubnetIds ?? [],
            kubeconfig,
            accessEntries: [],
            nodeGroupOptions: {},
            awsProvider: undefined,
            provider: undefined,
        },
    };
}
const standInNames = new Set<string>();

/** Per-type outputs a real provider computes; anything not listed echoes its inputs with an id and a name. */
export function mockOutputs(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
    counter = seedFrom(`${type}::${name}`);
    const n = str(inputs.name, `${name}-${hex(counter + 1, 7)}`);
    const base = { ...inputs, name: n };
    switch (type) {
        case "eks:index:Cluster":
            return { id: "", state: eksClusterOutputs(name, inputs) };
        case "eks:index:ManagedNodeGroup": {
            const nodeGroup = {
                nodeGroupName: str(inputs.nodeGroupName, n),
                arn: arn("eks", `nodegroup/${mockState.clusterName}/${n}/${hex(counter, 8)}`),
            };
            return { id: "", state: { ...inputs, nodeGroup, placementGroupName: "" } };
        }
        case "aws:ec2/vpc:Vpc": {
            const id = nextId("vpc");
            return {
                id,
                state: {
                    ...base,
                    arn: arn("ec2", `vpc/${id}`),
                    defaultSecurityGroupId: nextId("sg"),
                    mainRouteTableId: nextId("rtb"),
                    ownerId: MOCK_ACCOUNT_ID,
                },
            };
        }
        case "aws:ec2/subnet:Subnet": {
            const id = nextId("subnet");
            return { id, state: { ...base, arn: arn("ec2", `subnet/${id}`), availabilityZoneId: `euw1-az${(counter % 3) + 1}` } };
        }
        case "aws:ec2/securityGroup:SecurityGroup": {
            const id = nextId("sg");
            return { id, state: { ...base, arn: arn("ec2", `security-group/${id}`), ownerId: MOCK_ACCOUNT_ID } };
        }
        case "aws:ec2/launchTemplate:LaunchTemplate": {
            const id = nextId("lt");
            return { id, state: { ...base, arn: arn("ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1 } };
        }
        case "aws:ec2/eip:Eip":
            return {
                id: nextId("eipalloc"),
                state: { ...base, publicIp: `198.18.${counter % 250}.${(counter * 7) % 250}`, allocationId: nextId("eipalloc") },
            };
        case "aws:ec2/internetGateway:InternetGateway":
        case "aws:ec2/natGateway:NatGateway":
        case "aws:ec2/routeTable:RouteTable":
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
        case "aws:ec2/flowLog:FlowLog": {
            const prefix =
                { InternetGateway: "igw", NatGateway: "nat", RouteTable: "rtb", VpcEndpoint: "vpce", FlowLog: "fl" }[
                    type.split(":").pop() ?? ""
                ] ?? "res";
            const id = nextId(prefix);
            return { id, state: { ...base, arn: arn("ec2", `${prefix}/${id}`) } };
        }
        case "aws:iam/role:Role":
            return {
                id: n,
                state: {
                    ...base,
                    arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:role/${n}`,
                    uniqueId: `AROA${hex(counter, 17).toUpperCase()}`,
                },
            };
        case "aws:iam/policy:Policy":
            return {
                id: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:policy/${n}`,
                state: {
                    ...base,
                    arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:policy/${n}`,
                    policyId: `ANPA${hex(counter, 17).toUpperCase()}`,
                },
            };
        case "aws:iam/instanceProfile:InstanceProfile":
            return { id: n, state: { ...base, arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:instance-profile/${n}` } };
        case "aws:kms/key:Key": {
            const keyId = `${hex(counter, 8)}-1234-4abc-9def-${hex(counter * 31, 12)}`;
            return { id: keyId, state: { ...inputs, keyId, arn: arn("kms", `key/${keyId}`) } };
        }
        case "aws:kms/alias:Alias":
            return { id: str(inputs.name, `alias/${n}`), state: { ...inputs, arn: arn("kms", str(inputs.name, `alias/${n}`)) } };
        case "aws:sqs/queue:Queue":
            return {
                id: `https://sqs.${mockState.region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${n}`,
                state: { ...base, arn: arn("sqs", n), url: `https://sqs.${mockState.region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${n}` },
            };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { id: n, state: { ...base, arn: arn("logs", `log-group:${n}`) } };
        case "aws:cloudwatch/eventRule:EventRule":
            return { id: n, state: { ...base, arn: arn("events", `rule/${n}`) } };
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2": {
            const bucket = str(inputs.bucket, n);
            return {
                id: bucket,
                state: {
                    ...base,
                    bucket,
                    arn: `arn:${MOCK_PARTITION}:s3:::${bucket}`,
                    bucketRegionalDomainName: `${bucket}.s3.${mockState.region}.amazonaws.com`,
                },
            };
        }
        case "aws:eks/cluster:Cluster":
            return {
                id: n,
                state: {
                    ...base,
                    arn: arn("eks", `cluster/${n}`),
                    endpoint: `https://${hex(counter, 32).toUpperCase()}.gr7.${mockState.region}.eks.amazonaws.com`,
                    certificateAuthority: { data: "TU9DSw==" },
                    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${mockState.region}.amazonaws.com/id/MOCK` }] }],
                    status: "ACTIVE",
                },
            };
        case "aws:eks/addon:Addon":
            return {
                id: `${mockState.clusterName}:${str(inputs.addonName, n)}`,
                state: { ...base, arn: arn("eks", `addon/${mockState.clusterName}/${str(inputs.addonName, n)}/${hex(counter, 8)}`) },
            };
        case "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            return {
                id: nextId("a"),
                state: {
                    ...base,
                    associationArn: arn("eks", `podidentityassociation/${mockState.clusterName}/${nextId("a")}`),
                    associationId: nextId("a"),
                },
            };
        case "aws:eks/accessEntry:AccessEntry":
            return {
                id: `${mockState.clusterName}:${str(inputs.principalArn, n)}`,
                state: { ...base, accessEntryArn: arn("eks", `access-entry/${mockState.clusterName}/${hex(counter, 8)}`) },
            };
        case "random:index/randomPassword:RandomPassword":
            return { id: n, state: { ...inputs, result: "mock-password-not-a-secret" } };
        case "pulumi:providers:kubernetes":
        case "pulumi:providers:aws":
            return { id: `${name}-provider-id`, state: inputs };
        default: {
            if (type.startsWith("kubernetes:")) {
                const metadata = (inputs.metadata as Record<string, unknown> | undefined) ?? {};
                return { id: `${str(metadata.namespace, "default")}/${str(metadata.name, name)}`, state: { ...inputs, status: {} } };
            }
            if (type.startsWith("aws:")) {
                return { id: `${name}-id`, state: { ...base, arn: arn(type.split(":")[1]?.split("/")[0] ?? "aws", `${name}`) } };
            }
            return { id: `${name}-id`, state: inputs };
        }
    }
}

/** Answers the AWS lookups the program makes; anything else fails loudly. */
export function mockCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const letters = ["a", "b", "c", "d"];
            return {
                names: letters.map((l) => `${mockState.region}${l}`),
                zoneIds: letters.map((_, i) => `${mockState.region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                state: "available",
                id: mockState.region,
            };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                accountId: MOCK_ACCOUNT_ID,
                arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:role/ci-deployer`,
                userId: "AROAMOCK:ci",
                id: MOCK_ACCOUNT_ID,
            };
        case "aws:index/getPartition:getPartition":
            return { partition: MOCK_PARTITION, dnsSuffix: "amazonaws.com", id: MOCK_PARTITION, reverseDnsPrefix: "com.amazonaws" };
        case "aws:index/getRegion:getRegion":
            return {
                name: mockState.region,
                region: mockState.region,
                id: mockState.region,
                endpoint: `ec2.${mockState.region}.amazonaws.com`,
            };
        default: {
            const message = `mock runtime: unmocked call ${token}(${JSON.stringify(inputs)}): add it to tests/mocks.ts mockCall`;
            // An error thrown here reaches the program with an empty message, so say it first.
            console.error(message);
            throw new Error(message);
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Recording registrations

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

interface RegisterRequest {
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
    getHooks(): { toObject(): Record<string, string[]> } | undefined;
}
interface MonitorLike {
    newUrn(parent: string, type: string, name: string): string;
    registerResourceHook?(req: unknown, cb: (err: unknown, res: unknown) => void): void;
    registerResource(req: RegisterRequest, cb: (err: unknown, res: unknown) => void): Promise<void>;
}

/** Every resource registered since `setupMocks`, in registration order. */
export class Recorder {
    readonly resources: PlannedResource[] = [];

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

    /** True when `from` waits for `to` directly or through a chain of dependencies and parents' dependencies. */
    dependsOn(from: PlannedResource, to: PlannedResource): boolean {
        const seen = new Set<string>();
        const stack = [from.urn];
        while (stack.length > 0) {
            const urn = stack.pop() as string;
            if (seen.has(urn)) continue;
            seen.add(urn);
            const r = this.byUrn(urn);
            if (!r) continue;
            for (const d of r.dependencies) {
                if (d === to.urn) return true;
                stack.push(d);
            }
        }
        return false;
    }

    record(req: RegisterRequest, urn: string): void {
        const dependencies = new Set(req.getDependenciesList());
        req.getPropertydependenciesMap().forEach((v) => v.getUrnsList().forEach((u) => dependencies.add(u)));
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
        if (standInNames.has(name) && resource.type === "aws:eks/cluster:Cluster") {
            resource.standIn = true;
            // Show it where the engine would: under the remote component that owns it.
            const owner = this.resources.find((r) => r.type === "eks:index:Cluster" && `${r.name}-eksCluster` === name);
            if (owner) resource.parent = owner.urn;
        }
        this.resources.push(resource);
    }
}

/** Serialises every Pulumi registration through the mocks; the recorder sees them in order. */
export function setupMocks(source: StackSource | string): { config: PlatformConfig; recorder: Recorder; raw: Record<string, unknown> } {
    const s = typeof source === "string" ? { stack: source } : source;
    const raw = rawConfigFor(s);
    // Validation runs here too so a bad stack fails before the program is loaded, exactly as index.ts would.
    const config = parsePlatformConfig(raw, s.stack);
    mockState.region = config.region;
    mockState.clusterName = config.clusterName;

    const stringConfig: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) stringConfig[key] = typeof value === "string" ? value : JSON.stringify(value);
    pulumi.runtime.setAllConfig(stringConfig, []);

    const recorder = new Recorder();
    void pulumi.runtime.setMocks(
        {
            newResource: (args) => mockOutputs(args.type, args.name, args.inputs as Record<string, unknown>),
            call: (args) => mockCall(args.token, args.inputs as Record<string, unknown>),
        },
        PROJECT,
        s.stack,
        false,
    );
    const monitor = (pulumi.runtime as unknown as { getMonitor(): MonitorLike }).getMonitor();
    // Pulumi's MockMonitor has no registerResourceHook: binding a ResourceHook would fail with a TypeError. Hooks are
    // registered and recorded on each resource (PlannedResource.hooks), never run, as under `pulumi preview`.
    if (typeof monitor.registerResourceHook !== "function") monitor.registerResourceHook = (_req, cb) => cb(null, {});
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        recorder.record(req, monitor.newUrn(req.getParent(), req.getType(), req.getName()));
        return register(req, cb);
    };
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
async function resolveOutput(value: unknown): Promise<unknown> {
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
 * The plan of a shipped stack, unmodified, as `npm run plan -- --json` wrote it at the start of this test run
 * (tests/global-setup.ts): cheap to share between test files, each of which would otherwise run the program again.
 */
export function sharedPlan(stack: string): PlanResult {
    const file = path.join(REPO_ROOT, ".cache", "plans", `${stack}.json`);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: vitest's globalSetup (tests/global-setup.ts) writes it`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as PlanResult;
}

/** A Recorder over a saved plan's resources, for its lookups and dependency checks. */
export function recorderOf(plan: PlanResult): Recorder {
    const recorder = new Recorder();
    recorder.resources.push(...plan.resources);
    return recorder;
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
