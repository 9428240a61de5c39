// The smoke workload: its objects against the Kubernetes OpenAPI (kubernetes-models) and the Gateway API CRD, in the
// dev plan only (on by default in dev, off elsewhere), placed by the placement check, its NLB Service created after
// the load balancer controller and deleted before it, and its settings' errors.
import * as appsV1 from "kubernetes-models/apps/v1";
import * as policyV1 from "kubernetes-models/policy/v1";
import * as coreV1 from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import {
    SMOKE_IMAGE,
    smokeDeployment,
    smokeNamespace,
    smokeNamespaceTraffic,
    smokePodDisruptionBudget,
    smokeRoute,
    smokeServices,
    type SmokeInput,
} from "../../components/smoke";
import { checkPlacement, DependencyGraph, platformConfigFor, type PlannedResource } from "../../plan";
import { configProblems, problemLine } from "../helpers/config";
import { crdValidator, schemaErrors } from "../helpers/crd";
import { referencePath } from "../helpers/reference";
import { sharedPlan } from "../helpers/shared-plan";

const input: SmokeInput = {
    replicas: 2,
    host: "smoke.dev.example.com",
    gateway: {
        namespace: "gateway-system",
        name: "internal",
        sectionName: "https",
        namespaceLabel: { key: "eks-platform/gateway-internal", value: "true" },
        targetType: "ip",
    },
};

describe("the smoke objects", () => {
    it("validate against the Kubernetes OpenAPI schemas", () => {
        const services = smokeServices(input);
        const objects = [
            new coreV1.Namespace(smokeNamespace(input)),
            new appsV1.Deployment(smokeDeployment(input)),
            new policyV1.PodDisruptionBudget(smokePodDisruptionBudget()),
            new coreV1.Service(services.clusterIp),
            new coreV1.Service(services.nodePort),
            new coreV1.Service(services.loadBalancer),
        ];
        for (const o of objects) expect(() => o.validate()).not.toThrow();
        // The validator is not a formality: a probe without a handler, a Service of an unknown type are refused.
        expect(() =>
            new coreV1.Service({ ...services.clusterIp, spec: { ...services.clusterIp.spec, type: "Balanced" as never } }).validate(),
        ).toThrow();
    });

    it("serve with probes, zone spread, a PDB and Pod Security restricted, from Kubernetes' own test image", () => {
        const deployment = smokeDeployment(input);
        const pod = deployment.spec.template.spec;
        const [container] = pod.containers;
        expect(container?.image).toBe(SMOKE_IMAGE);
        expect(container?.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
        expect(container?.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
        expect(pod.topologySpreadConstraints[0]).toMatchObject({
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "DoNotSchedule",
        });
        expect(smokePodDisruptionBudget().spec.minAvailable).toBe(1);
        expect(smokeNamespace(input).metadata.labels).toMatchObject({
            "pod-security.kubernetes.io/enforce": "restricted",
            "eks-platform/gateway-internal": "true",
        });
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        expect(container?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    });

    it("are exposed as ClusterIP, NodePort, an internal NLB of the controller, and a route on the internal Gateway", () => {
        const s = smokeServices(input);
        expect([s.clusterIp.spec.type, s.nodePort.spec.type, s.loadBalancer.spec.type]).toEqual(["ClusterIP", "NodePort", "LoadBalancer"]);
        expect(s.loadBalancer.spec.loadBalancerClass).toBe("service.k8s.aws/nlb");
        expect(s.loadBalancer.metadata.annotations).toEqual({
            "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
            "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        });
        const route = smokeRoute(input);
        expect(route.spec.parentRefs).toEqual([
            { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "gateway-system", name: "internal", sectionName: "https" },
        ]);
        const crd = referencePath("gateway-api-v1.6.1/gateway.networking.k8s.io_httproutes.yaml");
        if (crd) expect(schemaErrors(crdValidator(crd, "v1"), route)).toEqual([]);
    });

    it("admit the load balancers and a checker in the namespace, and nothing goes out", () => {
        const t = smokeNamespaceTraffic("10.10.0.0/16", ["10.10.32.0/19"]);
        expect(t).toMatchObject({ namespace: "smoke", withinNamespace: true, kubeApi: false, podIdentity: false, egress: [] });
        expect(t.ingress).toEqual([{ name: "load-balancers", cidrs: ["10.10.0.0/16", "10.10.32.0/19"], ports: [{ port: 8080 }] }]);
    });
});

describe("the smoke workload in the plans", () => {
    const of = (stack: string, type: string) => sharedPlan(stack).resources.filter((r) => r.type === type);

    it("is on in dev only", () => {
        expect(of("dev", "kubernetes:apps/v1:Deployment").map((d) => (d.inputs.metadata as { name: string }).name)).toEqual(["smoke"]);
        for (const stack of ["staging", "prod"]) expect(of(stack, "kubernetes:apps/v1:Deployment"), stack).toEqual([]);
        expect(platformConfigFor("prod").smoke.enabled).toBe(false);
    });

    it("is placed by the placement check on dev's tenant pool, with no finding", () => {
        const report = checkPlacement(sharedPlan("dev"));
        const smoke = report.workloads.find((w) => w.name === "smoke/smoke");
        expect(smoke).toMatchObject({ kind: "Deployment", replicas: 2, requests: { cpuMillis: 10, memoryMiB: 32 } });
        expect(smoke?.spread[0]).toMatchObject({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" });
        expect(report.findings).toEqual([]);
    });

    it("creates its Services after the load balancer controller and deletes them before it, the NLB with them", () => {
        const plan = sharedPlan("dev");
        const graph = new DependencyGraph(plan.resources);
        const controller = plan.resources.find(
            (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "aws-load-balancer-controller",
        ) as PlannedResource;
        const services = of("dev", "kubernetes:core/v1:Service").filter((s) => s.name.startsWith("smoke-"));
        expect(services.map((s) => s.name).sort()).toEqual(["smoke-nlb", "smoke-nodeport", "smoke-service"]);
        for (const s of services) {
            expect(graph.waitsFor(s, controller), s.name).toBe(true);
            expect(graph.deletedBefore(s, controller), s.name).toBe(true);
        }
    });
});

describe("smoke settings", () => {
    const lines = (stack: string, smoke: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        configProblems({ stack, overrides: { "eks-platform:smoke": smoke, ...extra } }).map(problemLine);

    it("needs a host and the internal Gateway, and keeps its replicas meaningful", () => {
        expect(lines("prod", { enabled: true })).toEqual([
            "eks-platform:smoke.host: is required while smoke.enabled: the route is served on the internal Gateway's HTTPS listener, whose certificate the load balancer controller finds in ACM by the route's host (got nothing)",
        ]);
        expect(lines("prod", { enabled: true, host: "smoke.example.com" })).toEqual([]);
        expect(lines("dev", { replicas: 1 })).toEqual([
            "eks-platform:smoke.replicas: must be between 2 and 6: the PDB keeps one running and the zone spread needs two to mean anything (got 1)",
        ]);
        expect(lines("staging", { host: "smoke.example.com" })).toEqual([
            'eks-platform:smoke.host: has no effect while smoke.enabled is false: remove it (got "smoke.example.com")',
        ]);
    });
});
