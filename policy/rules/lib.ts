// Shared helpers for the policy rules: reading resource inputs without tripping over values that are not known yet
// (offline "[unknown]", the engine's unknown sentinels during `pulumi preview`), and building policies that apply to
// a list of resource types. Pure and side-effect free: no PolicyPack is constructed here.
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

export type { EnforcementLevel, PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy };
export type Policy = ResourceValidationPolicy | StackValidationPolicy;
export type PolicyFactory = (enforcementLevel: EnforcementLevel) => Policy;

/** The engine's placeholders for values unknown during preview (@pulumi/policy proxy.ts), and the offline plan's. */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also what the mock runtime records as "[unknown]")
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
    "[unknown]",
]);

/** True for a value not known at plan time. Secrets read offline as "[secret]" and are equally unreadable. */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && (UNKNOWN_SENTINELS.has(value) || value === "[secret]");
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Props = Record<string, unknown>;

/**
 * The plain object behind @pulumi/policy's unknown-checking proxy. The proxy throws on any read of an unknown
 * value (and the engine then reports a "can't run during preview" advisory); reading the target instead lets the
 * rules treat unknowns explicitly as "not yet known, no violation".
 */
export function plainProps(props: unknown): Props {
    if (props === null || typeof props !== "object") return {};
    const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
    const out = target !== undefined && typeof target === "object" && target !== null ? target : props;
    return out as Props;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Value at a dotted path; undefined when any step is missing, "[unknown]" when any step is unknown. */
export function at(root: unknown, path: string): unknown {
    let node: unknown = root;
    for (const key of path.split(".")) {
        if (isUnknown(node)) return "[unknown]";
        if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
        else if (isRecord(node)) node = node[key];
        else return undefined;
    }
    return node;
}

export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Booleans as Pulumi gives them: true/false, or "true"/"false" strings (launch template EBS flags). */
export function asBool(v: unknown): boolean | undefined | "unknown" {
    if (isUnknown(v)) return "unknown";
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    return undefined;
}

export function asNumber(v: unknown): number | undefined | "unknown" {
    if (isUnknown(v)) return "unknown";
    if (typeof v === "number") return v;
    if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
    return undefined;
}

/** A JSON document given as a string (IAM policies, provider config) or already parsed; "unknown" when not known. */
export function jsonDoc(v: unknown): Json | undefined | "unknown" {
    if (isUnknown(v)) return "unknown";
    if (typeof v === "string") {
        try {
            return JSON.parse(v) as Json;
        } catch {
            return undefined;
        }
    }
    return v === undefined ? undefined : (v as Json);
}

/** True when a string or an array holds any unknown element: the check is skipped rather than guessed. */
export const containsUnknown = (v: unknown): boolean => isUnknown(v) || (Array.isArray(v) && v.some(containsUnknown));

/** The description every rule carries: what it checks, then its source in square brackets. */
export const describe = (what: string, source: string): string => `${what} [source: ${source}]`;

export interface ResourceRuleSpec {
    name: string;
    description: string;
    /** Resource types the rule reads; others are not applicable. */
    types: readonly string[];
    configSchema?: PolicyConfigSchema;
    validate: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void;
}

/** A ResourceValidationPolicy over several resource types, reading plain props (unknowns handled by the rule). */
export function resourceRule(spec: ResourceRuleSpec, enforcementLevel: EnforcementLevel): ResourceValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel,
        ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
        validateResource: (args, report) => {
            if (!spec.types.includes(args.type)) return;
            spec.validate(plainProps(args.props), args, report);
        },
    };
}

export interface StackRuleSpec {
    name: string;
    description: string;
    configSchema?: PolicyConfigSchema;
    validate: (resources: PolicyResource[], args: StackValidationArgs, report: ReportViolation) => void;
}

export function stackRule(spec: StackRuleSpec, enforcementLevel: EnforcementLevel): StackValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel,
        ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
        validateStack: (args, report) => spec.validate(args.resources, args, report),
    };
}

/** Resources of the given types, with plain props. */
export function ofTypes(resources: readonly PolicyResource[], types: readonly string[]): { resource: PolicyResource; props: Props }[] {
    return resources.filter((r) => types.includes(r.type)).map((resource) => ({ resource, props: plainProps(resource.props) }));
}

/**
 * A remote @pulumi/eks component's registration: offline it carries every input the program set; in a real
 * deployment the engine may register it with no inputs at all (its children carry them, and the rules check the
 * children). With no inputs visible the rule has nothing to judge.
 */
export const componentInputsVisible = (props: Props): boolean => Object.keys(props).length > 0;

/** A remote @pulumi/eks component and the type of its child that carries the same facts as real properties. */
export interface ModeledPair {
    component: string;
    child: string;
}

/** The parent's URN: the engine's PolicyResource.parent, else the option. */
const parentUrnOf = (r: PolicyResource): string | undefined => r.parent?.urn ?? r.opts.parent;

/**
 * Each fact once: a component's child of the pair's type where the stack has one (a real preview always does; the
 * offline plan models it), else the component's own inputs when visible. A child-type resource outside such a
 * component stands for itself.
 */
export function judgedOnce(resources: readonly PolicyResource[], pair: ModeledPair): { resource: PolicyResource; props: Props }[] {
    const children = ofTypes(resources, [pair.child]);
    const judgedThroughChild = new Set(children.map(({ resource }) => parentUrnOf(resource)));
    const components = ofTypes(resources, [pair.component]).filter(
        ({ resource, props }) => !judgedThroughChild.has(resource.urn) && componentInputsVisible(props),
    );
    return [...children, ...components];
}

/** What a pair rule's check gets besides the props: the judged resource's type and name, the policy config. */
export interface FactArgs {
    type: string;
    name: string;
    getConfig<T extends object>(): T;
}

export interface PairRuleSpec {
    name: string;
    description: string;
    pair: ModeledPair;
    configSchema?: PolicyConfigSchema;
    validate: (props: Props, args: FactArgs, report: (message: string) => void) => void;
}

/** A stack policy judging each component-or-child fact once (judgedOnce), violations on the judged resource. */
export function pairRule(spec: PairRuleSpec, enforcementLevel: EnforcementLevel): StackValidationPolicy {
    return stackRule(
        {
            name: spec.name,
            description: spec.description,
            ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
            validate: (resources, args, report) => {
                for (const { resource, props } of judgedOnce(resources, spec.pair)) {
                    const fact: FactArgs = { type: resource.type, name: resource.name, getConfig: args.getConfig };
                    spec.validate(props, fact, (message) => report(message, resource.urn));
                }
            },
        },
        enforcementLevel,
    );
}

/** Kubernetes object metadata (namespace defaults to "default" as the API server would). */
export function k8sMeta(props: Props): { name: string; namespace: string } {
    const name = at(props, "metadata.name");
    const namespace = at(props, "metadata.namespace");
    return {
        name: typeof name === "string" ? name : "",
        namespace: typeof namespace === "string" && namespace !== "" ? namespace : "default",
    };
}

export const EKS_CLUSTER_COMPONENT = "eks:index:Cluster";
export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const EKS_MANAGED_NODE_GROUP_COMPONENT = "eks:index:ManagedNodeGroup";
export const EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
export const EC2_NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
export const SUBNET = "aws:ec2/subnet:Subnet";
export const VPC = "aws:ec2/vpc:Vpc";
export const CLUSTER_PAIR: ModeledPair = { component: EKS_CLUSTER_COMPONENT, child: EKS_CLUSTER };
export const NODE_GROUP_PAIR: ModeledPair = { component: EKS_MANAGED_NODE_GROUP_COMPONENT, child: EKS_NODE_GROUP };
