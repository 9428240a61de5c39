// Every Gateway API and load balancer controller object the program emits, against the pinned CRDs: the shipped
// stacks' plans (all of them, as `npm run plan` declares them), the pure builders with every optional setting, and
// Grafana's route. OpenAPI schemas by ajv (tests/helpers/crd.ts, unknown fields refused), the CEL rules that apply
// here by hand. Hand-made bad objects show that the validators reject what the API server would.
import type { ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import {
    defaultTargetGroupConfigurationObject,
    gatewayClassObject,
    gatewayObject,
    httpsRedirectRouteObject,
    loadBalancerConfigurationObject,
    type KubernetesObject,
    type SharedGatewayInputs,
} from "../../components/ingress";
import { grafanaRouteObject, grafanaTargetGroupConfigurationObject } from "../../components/observability/grafana-route";
import { platformConfigFor } from "../../plan";
import { crdValidator, schemaErrors } from "../helpers/crd";
import { referencePath } from "../helpers/reference";
import { sharedPlan } from "../helpers/shared-plan";

const GATEWAY_API = "gateway-api-v1.6.1";
const LBC_CRDS = "aws-load-balancer-controller-v3.5.0/crds/gateway-crds.yaml";
/** Where each kind's CRD is: the Gateway API standard channel (one file per kind) or the controller chart's file. */
const CRD_FILES: Record<string, { file: string; kind?: string }> = {
    GatewayClass: { file: `${GATEWAY_API}/gateway.networking.k8s.io_gatewayclasses.yaml` },
    Gateway: { file: `${GATEWAY_API}/gateway.networking.k8s.io_gateways.yaml` },
    HTTPRoute: { file: `${GATEWAY_API}/gateway.networking.k8s.io_httproutes.yaml` },
    LoadBalancerConfiguration: { file: LBC_CRDS, kind: "LoadBalancerConfiguration" },
    TargetGroupConfiguration: { file: LBC_CRDS, kind: "TargetGroupConfiguration" },
};

const validators = new Map<string, ValidateFunction | undefined>();
/** The v1 validator of a kind, or undefined (after a warning naming the file) where the reference is absent. */
function validatorFor(kind: string): ValidateFunction | undefined {
    if (!validators.has(kind)) {
        const where = CRD_FILES[kind];
        if (!where) throw new Error(`no CRD file known for ${kind}`);
        const file = referencePath(where.file);
        validators.set(kind, file ? crdValidator(file, "v1", where.kind) : undefined);
    }
    return validators.get(kind);
}
const hasReference = validatorFor("Gateway") !== undefined && validatorFor("LoadBalancerConfiguration") !== undefined;

/** The CEL rules of the v1.6.1 Gateway and HTTPRoute CRDs that the objects here could break (ajv does not run CEL). */
function celProblems(o: KubernetesObject): string[] {
    const problems: string[] = [];
    if (o.kind === "Gateway") {
        const listeners = (o.spec as { listeners: { name: string; protocol: string; port: number; tls?: { mode?: string } }[] }).listeners;
        if (new Set(listeners.map((l) => l.name)).size !== listeners.length) problems.push("listener names must be unique");
        for (const l of listeners) {
            if (["HTTP", "TCP", "UDP"].includes(l.protocol) && l.tls) problems.push(`tls must not be specified for ${l.protocol}`);
            if (l.protocol === "HTTPS" && l.tls && (l.tls.mode ?? "Terminate") !== "Terminate")
                problems.push("tls mode must be Terminate for HTTPS");
        }
        const ports = listeners.map((l) => `${l.port}`);
        if (new Set(ports).size !== ports.length) problems.push("one listener per port here");
    }
    if (o.kind === "HTTPRoute") {
        const rules = (o.spec as { rules: { filters?: { type: string }[]; backendRefs?: unknown[] }[] }).rules;
        for (const r of rules) {
            const types = (r.filters ?? []).map((f) => f.type);
            if (types.includes("RequestRedirect") && (r.backendRefs ?? []).length > 0)
                problems.push("RequestRedirect and backendRefs cannot be combined");
            if (types.includes("RequestRedirect") && types.includes("URLRewrite"))
                problems.push("RequestRedirect and URLRewrite cannot be combined");
        }
    }
    return problems;
}

function problemsOf(object: KubernetesObject): string[] {
    const validate = validatorFor(object.kind);
    return validate ? [...schemaErrors(validate, object), ...celProblems(object)] : [];
}

const isGatewayKind = (type: string) => /^kubernetes:(gateway\.networking\.k8s\.io|gateway\.k8s\.aws)\/v1:/.test(type);

describe.skipIf(!hasReference)("emitted Gateway API objects conform to the pinned CRDs", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: every Gateway API and gateway.k8s.aws object in the plan`, () => {
            const objects = sharedPlan(stack).resources.filter((r) => isGatewayKind(r.type));
            // Both classes, and per shared Gateway: its LoadBalancerConfiguration, TargetGroupConfiguration, Gateway, redirect;
            // in dev the smoke workload's HTTPRoute too.
            const gateways = stack === "dev" ? 1 : 2;
            expect(objects).toHaveLength(2 + 4 * gateways + (stack === "dev" ? 1 : 0));
            for (const r of objects) expect(problemsOf(r.inputs as unknown as KubernetesObject), `${stack} ${r.name}`).toEqual([]);
        });
    }

    const prod = platformConfigFor("prod").ingress;
    const everything: SharedGatewayInputs = {
        key: "internetFacing",
        namespace: "gateway-system",
        targetType: "ip",
        vpcCidr: "10.30.0.0/16",
        settings: {
            ...prod.gateways.internetFacing,
            hostname: "*.apps.example.com",
            certificateArns: [
                "arn:aws:acm:eu-west-1:333333333333:certificate/0b5e7c1a-1f2e-4d3c-9b8a-7f6e5d4c3b2a",
                "arn:aws:acm:eu-west-1:333333333333:certificate/1c6f8d2b-2a3f-4e4d-8c9b-8a7f6e5d4c3b",
            ],
            wafAclArn: "arn:aws:wafv2:eu-west-1:333333333333:regional/webacl/platform/7c1d0a2b-3e4f-4a5b-8c6d-9e0f1a2b3c4d",
            subnetSelector: { "kubernetes.io/role/elb": ["1"] },
        },
    };

    it("the builders with every optional setting: hostname, certificates, WAF, selector, own security groups", () => {
        const withGroups: SharedGatewayInputs = {
            ...everything,
            key: "internal",
            targetType: "instance",
            settings: { ...everything.settings, securityGroupIds: ["sg-0123456789abcdef0"], subnetSelector: undefined },
        };
        for (const i of [everything, withGroups])
            for (const o of [
                loadBalancerConfigurationObject(i),
                defaultTargetGroupConfigurationObject(i),
                gatewayObject(i),
                httpsRedirectRouteObject(i),
            ])
                expect(problemsOf(o), `${i.key} ${o.kind}`).toEqual([]);
        for (const kind of ["alb", "nlb"] as const) expect(problemsOf(gatewayClassObject(kind))).toEqual([]);
    });

    it("Grafana's HTTPRoute and TargetGroupConfiguration", () => {
        const input = {
            host: "grafana.internal.example.com",
            namespace: "monitoring",
            service: { name: "kube-prometheus-stack-grafana", port: 80 },
            gateway: { namespace: "gateway-system", name: "internal", sectionName: "https", targetType: "ip" as const },
        };
        expect(problemsOf(grafanaRouteObject(input) as KubernetesObject)).toEqual([]);
        expect(problemsOf(grafanaTargetGroupConfigurationObject(input) as KubernetesObject)).toEqual([]);
    });

    it("rejects hand-made bad objects: a typo'd field, a wrong enum, a missing required field, a broken CEL rule", () => {
        const lbConfig = loadBalancerConfigurationObject(everything);
        const gateway = gatewayObject(everything);
        const bad: [string, KubernetesObject][] = [
            ["scheme typo", { ...lbConfig, spec: { ...lbConfig.spec, scheme: "public" } }],
            ["unknown field", { ...lbConfig, spec: { ...lbConfig.spec, certificateArn: "arn" } }],
            ["WAF without its ACL", { ...lbConfig, spec: { ...lbConfig.spec, wafV2: {} } }],
            [
                "target type",
                { ...defaultTargetGroupConfigurationObject(everything), spec: { defaultConfiguration: { targetType: "pod" } } },
            ],
            ["no class", { ...gateway, spec: { listeners: (gateway.spec as { listeners: unknown[] }).listeners } }],
            [
                "from typo",
                {
                    ...gateway,
                    spec: {
                        ...gateway.spec,
                        listeners: [{ name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Any" } } }],
                    },
                },
            ],
            [
                "tls on HTTP",
                {
                    ...gateway,
                    spec: { ...gateway.spec, listeners: [{ name: "http", protocol: "HTTP", port: 80, tls: { mode: "Terminate" } }] },
                },
            ],
            ["no controller", { ...gatewayClassObject("alb"), spec: {} }],
            [
                "redirect with a backend",
                {
                    ...httpsRedirectRouteObject(everything),
                    spec: {
                        parentRefs: [{ name: "internet-facing" }],
                        rules: [
                            {
                                filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https" } }],
                                backendRefs: [{ name: "web", port: 80 }],
                            },
                        ],
                    },
                },
            ],
        ];
        for (const [what, object] of bad) expect(problemsOf(object), what).not.toEqual([]);
    });
});
