// The smoke workload's Kubernetes objects, pure: a namespace, a Deployment with probes and zone spread, its PDB, the
// three Service types teams use (ClusterIP, NodePort, an NLB through the load balancer controller) and an HTTPRoute
// on the internal Gateway. tests/smoke validates them against the Kubernetes OpenAPI and the Gateway API CRDs.
import type { GatewayAttachment, NamespaceTraffic } from "../lib/contracts";
import { httpRouteObject } from "../lib/routes";

export const SMOKE_NAMESPACE = "smoke";
export const SMOKE_APP = "smoke";
/**
 * Kubernetes' own e2e test server (netexec answers /hostname with the pod's name, / and /healthz with 200), the tag
 * Kubernetes' e2e suite pins in test/utils/image/manifest.go (configs[Agnhost] = agnhost 2.52), multi-arch.
 */
export const SMOKE_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.52";
export const SMOKE_PORT = 8080;
const labels = { "app.kubernetes.io/name": SMOKE_APP, "app.kubernetes.io/part-of": "eks-platform-smoke" };

export interface SmokeInput {
    replicas: number;
    host: string;
    gateway: Pick<GatewayAttachment, "namespace" | "name" | "sectionName" | "namespaceLabel" | "targetType">;
}

/** Pod Security restricted, and the internal Gateway's label so the route is admitted. */
export function smokeNamespace(i: SmokeInput) {
    return {
        metadata: {
            name: SMOKE_NAMESPACE,
            labels: {
                "eks-platform/component": "smoke",
                "pod-security.kubernetes.io/enforce": "restricted",
                [i.gateway.namespaceLabel.key]: i.gateway.namespaceLabel.value,
            },
        },
    };
}

const probe = (periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path: "/healthz", port: "http" },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 2,
});

export function smokeDeployment(i: SmokeInput) {
    return {
        metadata: { name: SMOKE_APP, namespace: SMOKE_NAMESPACE, labels },
        spec: {
            replicas: i.replicas,
            selector: { matchLabels: { ...labels } },
            template: {
                metadata: { labels: { ...labels } },
                spec: {
                    automountServiceAccountToken: false,
                    securityContext: {
                        runAsNonRoot: true,
                        runAsUser: 65534,
                        runAsGroup: 65534,
                        seccompProfile: { type: "RuntimeDefault" as const },
                    },
                    // Hard over zones (a zone outage must leave a pod), soft over nodes.
                    topologySpreadConstraints: [
                        {
                            maxSkew: 1,
                            topologyKey: "topology.kubernetes.io/zone",
                            whenUnsatisfiable: "DoNotSchedule" as const,
                            labelSelector: { matchLabels: { ...labels } },
                        },
                        {
                            maxSkew: 1,
                            topologyKey: "kubernetes.io/hostname",
                            whenUnsatisfiable: "ScheduleAnyway" as const,
                            labelSelector: { matchLabels: { ...labels } },
                        },
                    ],
                    containers: [
                        {
                            name: "netexec",
                            image: SMOKE_IMAGE,
                            args: ["netexec", `--http-port=${SMOKE_PORT}`],
                            ports: [{ name: "http", containerPort: SMOKE_PORT, protocol: "TCP" as const }],
                            readinessProbe: probe(5, 2),
                            livenessProbe: probe(10, 3),
                            resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                            securityContext: {
                                allowPrivilegeEscalation: false,
                                readOnlyRootFilesystem: true,
                                capabilities: { drop: ["ALL"] },
                            },
                        },
                    ],
                },
            },
        },
    };
}

export function smokePodDisruptionBudget() {
    return {
        metadata: { name: SMOKE_APP, namespace: SMOKE_NAMESPACE },
        spec: { minAvailable: 1, selector: { matchLabels: { ...labels } } },
    };
}

const servicePort = { name: "http", port: 80, targetPort: "http", protocol: "TCP" } as const;

/** ClusterIP (in-cluster clients), NodePort (every node's port), and an internal NLB made by the load balancer controller. */
export function smokeServices(i: SmokeInput) {
    const base = (name: string) => ({ name, namespace: SMOKE_NAMESPACE, labels });
    return {
        clusterIp: {
            metadata: base(SMOKE_APP),
            spec: { type: "ClusterIP" as const, selector: { ...labels }, ports: [{ ...servicePort }] },
        },
        nodePort: {
            metadata: base(`${SMOKE_APP}-nodeport`),
            spec: { type: "NodePort" as const, selector: { ...labels }, ports: [{ ...servicePort }] },
        },
        loadBalancer: {
            metadata: {
                ...base(`${SMOKE_APP}-nlb`),
                // The load balancer controller's NLB (aws-load-balancer-controller v3.5.0 docs guide/service/annotations.md):
                // internal, targets as the Gateway's (pods when routable from the VPC, else the nodes).
                annotations: {
                    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
                    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": i.gateway.targetType,
                },
            },
            spec: {
                type: "LoadBalancer" as const,
                loadBalancerClass: "service.k8s.aws/nlb",
                selector: { ...labels },
                ports: [{ ...servicePort }],
            },
        },
    };
}

/** The route on the internal Gateway's HTTPS listener (its certificate is the one ACM has for the host). */
export function smokeRoute(i: SmokeInput) {
    return httpRouteObject({
        name: SMOKE_APP,
        namespace: SMOKE_NAMESPACE,
        host: i.host,
        gateway: i.gateway,
        backend: { name: SMOKE_APP, port: servicePort.port },
    });
}

/**
 * The namespace's traffic for the baseline policy: the Gateway's load balancer and the NLB reach the pods (from the
 * Gateway's sources, and from the VPC: the NLB's and the nodes' addresses, NodePort included); a checker pod in the
 * namespace reaches them too. Nothing goes out.
 */
export function smokeNamespaceTraffic(vpcCidr: string, gatewaySources: readonly string[]): NamespaceTraffic {
    return {
        namespace: SMOKE_NAMESPACE,
        withinNamespace: true,
        kubeApi: false,
        podIdentity: false,
        ingress: [{ name: "load-balancers", cidrs: [...new Set([vpcCidr, ...gatewaySources])].sort(), ports: [{ port: SMOKE_PORT }] }],
        egress: [],
    };
}
