// Every built-in Kubernetes object the plans declare (Namespaces, StorageClass, ConfigMaps, Secrets, IngressClass,
// RBAC, NetworkPolicies, ...) validates against the Kubernetes OpenAPI schemas, through kubernetes-models 4.5.1 (JSON
// schemas generated from the Kubernetes OpenAPI; types, required fields, enums and oneOfs, but not unknown fields or
// name formats, which only the API server checks). Custom resources are checked against their CRDs elsewhere
// (tests/helpers/crd.ts); Helm releases are not objects.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import * as admissionregistrationV1 from "kubernetes-models/admissionregistration.k8s.io/v1";
import * as appsV1 from "kubernetes-models/apps/v1";
import * as batchV1 from "kubernetes-models/batch/v1";
import * as networkingV1 from "kubernetes-models/networking.k8s.io/v1";
import * as policyV1 from "kubernetes-models/policy/v1";
import * as rbacV1 from "kubernetes-models/rbac.authorization.k8s.io/v1";
import * as schedulingV1 from "kubernetes-models/scheduling.k8s.io/v1";
import * as storageV1 from "kubernetes-models/storage.k8s.io/v1";
import * as coreV1 from "kubernetes-models/v1";
import { REPO_ROOT, stackFile, type PlannedResource, type PlanResult } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";

interface Model {
    validate(): void;
}
type ModelClass = new (data: Record<string, unknown>) => Model;

/** kubernetes-models' modules by the group/version Pulumi's type tokens name (`kubernetes:<group>/<version>:<Kind>`). */
const MODULES: Readonly<Record<string, Record<string, unknown>>> = {
    "core/v1": coreV1,
    "apps/v1": appsV1,
    "batch/v1": batchV1,
    "policy/v1": policyV1,
    "rbac.authorization.k8s.io/v1": rbacV1,
    "networking.k8s.io/v1": networkingV1,
    "storage.k8s.io/v1": storageV1,
    "scheduling.k8s.io/v1": schedulingV1,
    "admissionregistration.k8s.io/v1": admissionregistrationV1,
};
/** Groups the API server serves itself: an object of one of these must have a model here. */
// The API groups Kubernetes serves itself; CRD groups (gateway.networking.k8s.io among them) are validated against
// their CRDs elsewhere.
const BUILT_IN_GROUP =
    /^(core|apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|storage\.k8s\.io|scheduling\.k8s\.io|admissionregistration\.k8s\.io|coordination\.k8s\.io|discovery\.k8s\.io|node\.k8s\.io|certificates\.k8s\.io|apiextensions\.k8s\.io)$/;
/** Values the offline plan cannot know: secrets read as "[secret]", unresolved outputs as "[unknown]". */
const UNREADABLE = new Set(["[secret]", "[unknown]"]);

/** A copy of `value` without the entries the plan cannot know, and the paths left out. */
function readable(value: unknown, path = ""): { value: unknown; leftOut: string[] } {
    if (Array.isArray(value)) {
        const items = value.map((v, i) => readable(v, `${path}[${i}]`));
        return { value: items.map((i) => i.value), leftOut: items.flatMap((i) => i.leftOut) };
    }
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        const leftOut: string[] = [];
        for (const [key, child] of Object.entries(value)) {
            const at = path ? `${path}.${key}` : key;
            if (typeof child === "string" && UNREADABLE.has(child)) leftOut.push(at);
            else {
                const r = readable(child, at);
                out[key] = r.value;
                leftOut.push(...r.leftOut);
            }
        }
        return { value: out, leftOut };
    }
    return { value, leftOut: [] };
}

interface BuiltIn {
    resource: PlannedResource;
    model: ModelClass;
}

/** The plan's built-in objects with their models; fails for a built-in kind no model covers (so none is skipped). */
function builtInObjects(plan: PlanResult): BuiltIn[] {
    const out: BuiltIn[] = [];
    for (const resource of plan.resources) {
        // A remote component's modeled children (the Gateway API manifest's CRDs) carry only their identity: their
        // content is the upstream release's, not the program's.
        if (resource.standIn) continue;
        const m = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(resource.type);
        if (!m || !BUILT_IN_GROUP.test(m[1] as string)) continue;
        const model = MODULES[`${m[1]}/${m[2]}`]?.[m[3] as string];
        if (typeof model !== "function") throw new Error(`${resource.type}: no kubernetes-models class for it; add its module to MODULES`);
        out.push({ resource, model: model as ModelClass });
    }
    return out;
}

function validationError(model: ModelClass, data: Record<string, unknown>): string | undefined {
    try {
        new model(data).validate();
        return undefined;
    } catch (err) {
        return err instanceof Error ? err.message : String(err);
    }
}

/**
 * The plan of the staging stack file switched to mode vpc-cni-policy, which declares Kubernetes NetworkPolicies (the
 * other modes declare Calico's), by the real `npm run plan` in a process of its own (the program runs once per process).
 */
function vpcCniPolicyPlan(): PlanResult {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-objects-"));
    const doc = parseYaml(fs.readFileSync(stackFile("staging"), "utf8")) as { config: Record<string, Record<string, unknown>> };
    doc.config["eks-platform:cni"] = { ...doc.config["eks-platform:cni"], mode: "vpc-cni-policy" };
    const file = path.join(dir, "Pulumi.staging.yaml");
    fs.writeFileSync(file, toYaml(doc));
    const json = path.join(dir, "plan.json");
    const args = ["plan", "--stack", "staging", "--config-file", file, "--json", json, "--quiet", "--policy=false"];
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "run.mjs"), ...args], { cwd: REPO_ROOT, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`npm run plan failed:\n${run.stderr}`);
    return JSON.parse(fs.readFileSync(json, "utf8")) as PlanResult;
}

const plans: Record<string, PlanResult> = {};
beforeAll(() => {
    for (const stack of ["dev", "staging", "prod"]) plans[stack] = sharedPlan(stack);
    plans["staging, vpc-cni-policy"] = vpcCniPolicyPlan();
}, 120_000);

describe("the built-in Kubernetes objects of every plan validate against the Kubernetes OpenAPI schemas", () => {
    it.each(["dev", "staging", "prod", "staging, vpc-cni-policy"])("%s", (name) => {
        const objects = builtInObjects(plans[name] as PlanResult);
        const kinds = new Set(objects.map((o) => o.resource.type));
        for (const kind of ["Namespace", "ConfigMap", "Secret"]) expect(kinds).toContain(`kubernetes:core/v1:${kind}`);
        for (const type of ["storage.k8s.io/v1:StorageClass", "networking.k8s.io/v1:IngressClass"])
            expect(kinds).toContain(`kubernetes:${type}`);
        // calico-policy grants aws-node the pod-IP annotation (RBAC); vpc-cni-policy has Kubernetes NetworkPolicies instead.
        if (name.includes("vpc-cni-policy")) expect(kinds).toContain("kubernetes:networking.k8s.io/v1:NetworkPolicy");
        else expect(kinds).toContain("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
        const failures: string[] = [];
        for (const { resource, model } of objects) {
            const { value, leftOut } = readable(resource.inputs);
            // Only the Secret's data is unreadable offline; anything else left out would be a value not checked.
            for (const path of leftOut) expect(`${resource.type} ${path}`).toMatch(/^kubernetes:core\/v1:Secret (stringData|data)$/);
            const error = validationError(model, value as Record<string, unknown>);
            if (error) failures.push(`${resource.type} ${resource.name}: ${error}`);
        }
        expect(failures).toEqual([]);
    });
});

describe("the validator rejects hand-made bad objects", () => {
    const storageClass = {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "gp3" },
        provisioner: "ebs.csi.aws.com",
    };
    it.each([
        [
            "a ConfigMap whose data holds a number",
            coreV1.ConfigMap,
            { metadata: { name: "x" }, data: { replicas: 3 } },
            /data\/data\/replicas must be string/,
        ],
        [
            "a StorageClass without a provisioner",
            storageV1.StorageClass,
            { metadata: { name: "gp3" } },
            /must have required property provisioner/,
        ],
        [
            "a StorageClass with a boolean given as a string",
            storageV1.StorageClass,
            { ...storageClass, allowVolumeExpansion: "true" },
            /allowVolumeExpansion must be boolean/,
        ],
        [
            "a ClusterRoleBinding without a roleRef",
            rbacV1.ClusterRoleBinding,
            { metadata: { name: "x" }, subjects: [] },
            /must have required property roleRef/,
        ],
        [
            "a ClusterRole rule whose verbs are a string",
            rbacV1.ClusterRole,
            { metadata: { name: "x" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: "patch" }] },
            /verbs must be array/,
        ],
        [
            "a NetworkPolicy port given as an object",
            networkingV1.NetworkPolicy,
            { metadata: { name: "x" }, spec: { podSelector: {}, ingress: [{ ports: [{ port: { number: 53 } }] }] } },
            /ports\/0\/port must match exactly one schema/,
        ],
        [
            "an IngressClass whose parameters lack a kind",
            networkingV1.IngressClass,
            { metadata: { name: "alb" }, spec: { controller: "ingress.k8s.aws/alb", parameters: { name: "alb" } } },
            /required property kind/,
        ],
    ] as const)("%s", (_what, model, data, message) => {
        expect(validationError(model as unknown as ModelClass, data as Record<string, unknown>)).toMatch(message);
    });

    it("and accepts the same objects when they are right", () => {
        expect(validationError(storageV1.StorageClass as unknown as ModelClass, storageClass)).toBeUndefined();
        expect(
            validationError(coreV1.ConfigMap as unknown as ModelClass, { metadata: { name: "x" }, data: { replicas: "3" } }),
        ).toBeUndefined();
    });
});
