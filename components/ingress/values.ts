// Helm values and Kubernetes objects of the Ingress component, as pure functions of plain inputs (Outputs such as
// the cluster name or VPC id are passed through untouched: `T` is string in tests, pulumi.Input<string> in the
// component). Value names follow the charts' values.yaml: aws-load-balancer-controller 3.5.0, ingress-nginx 4.13.
import type { PlatformConfig } from "../../stacks/config";
import type { MetricsEndpoint } from "../lib/contracts";
import { placementValues, SYSTEM_PLACEMENT, type Placement } from "../lib/placement";

export const LBC_CHART = "aws-load-balancer-controller";
export const LBC_REPOSITORY = "https://aws.github.io/eks-charts";
export const LBC_NAMESPACE = "kube-system";
export const LBC_SERVICE_ACCOUNT = "aws-load-balancer-controller";
/** The controller's webhook port (chart default webhookBindPort); the control plane calls it. */
export const LBC_WEBHOOK_PORT = 9443;
export const NGINX_CHART = "ingress-nginx";
export const NGINX_REPOSITORY = "https://kubernetes.github.io/ingress-nginx";
export const NGINX_NAMESPACE = "ingress-nginx";
/** The IngressClass controller string the LB controller answers to. */
export const ALB_CONTROLLER = "ingress.k8s.aws/alb";

type IngressConfig = PlatformConfig["ingress"];

/**
 * The controller's Gateway API features, set explicitly (chart controllerConfig.featureGates, rendered as
 * --feature-gates). All three default to true, but then the controller probes for the CRDs once at start-up and
 * silently turns a feature off when a kind is missing (pkg/gateway/crddetect at v3.5.0). Set, it skips the probe:
 * the program installs the CRDs before the controller, and a missing one is an error at start-up, not a quiet
 * platform without Gateways.
 */
export const GATEWAY_FEATURE_GATES = { ALBGatewayAPI: true, NLBGatewayAPI: true, GatewayListenerSet: true } as const;

export interface LoadBalancerControllerInputs<T> {
    clusterName: T;
    region: T;
    vpcId: T;
    config: IngressConfig;
    /**
     * False in calico-cni: pod addresses are not routable from the VPC, so load balancers target instances and the
     * control plane reaches the webhook only on the host network.
     */
    podsRoutableFromVpc: boolean;
    /** The system nodes the controller runs on. */
    system?: Placement;
    /**
     * Namespaces whose Services platform releases create without waiting for the controller (Karpenter's, Calico's,
     * monitoring): the Service mutator webhook skips them (LBC_SERVICE_WEBHOOK).
     */
    platformServiceNamespaces?: readonly string[];
}

/**
 * Why the Service mutator webhook skips the platform's namespaces. The chart registers mservice.elbv2.k8s.aws for
 * every Service CREATE in every namespace with failurePolicy Fail, and the controller answers only once it is
 * Ready; the karpenter, Calico and monitoring releases create their (ClusterIP) Services alongside it, so on a first
 * `up` they would be refused ("no endpoints available for service aws-load-balancer-webhook-service";
 * kubernetes-sigs/aws-load-balancer-controller#4140). The choices (chart 3.5.0 values serviceMutatorWebhookConfig):
 * - dependsOn the controller for those releases: serializes the first `up` behind it, and a steady-state outage of
 *   the controller still blocks every Service they create;
 * - failurePolicy Ignore: a tenant's LoadBalancer Service created while the controller is down would get no
 *   loadBalancerClass and silently become a Classic Load Balancer of the legacy cloud provider;
 * - objectSelector: labels only, it cannot tell a LoadBalancer from a ClusterIP (#4811), and the charts label their
 *   Services differently;
 * - namespaceSelectors (chosen): the platform's namespaces are skipped, so nothing the platform installs waits for
 *   the controller and the longest path stays as it was; tenants keep Fail, so their LoadBalancer Services always
 *   get the controller's class. A LoadBalancer Service in a skipped namespace must name its class itself
 *   (ingress-nginx, in its own namespace, does: loadBalancerClass service.k8s.aws/nlb).
 */
export const LBC_SERVICE_WEBHOOK = "mservice.elbv2.k8s.aws";

/** The mutator's namespace selector: every namespace but the platform's (kubernetes.io/metadata.name is set by the API server). */
export function serviceWebhookNamespaceSelectors(skipped: readonly string[]): { key: string; operator: "NotIn"; values: string[] }[] {
    return skipped.length > 0 ? [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: [...new Set(skipped)].sort() }] : [];
}

/** The controller's metrics port (chart default: metricsBindAddr "" is :8080, container port metrics-server). */
export const LBC_METRICS_PORT = 8080;

/**
 * Where the controller's metrics are. The chart makes a metrics Service only with serviceMonitor.enabled (templates/
 * service.yaml), which would need the Prometheus CRDs before the controller; without it the only Service labelled
 * app.kubernetes.io/name=aws-load-balancer-controller is the webhook's (port 443). So the pods are scraped, on their
 * container port `metrics-server` (templates/deployment.yaml), selected by the chart's selectorLabels (name and
 * instance = the release name).
 */
export function loadBalancerControllerMetrics(values: { hostNetwork?: unknown }): MetricsEndpoint {
    return {
        kind: "pod",
        namespace: LBC_NAMESPACE,
        selector: { "app.kubernetes.io/name": LBC_CHART, "app.kubernetes.io/instance": LBC_CHART },
        port: "metrics-server",
        path: "/metrics",
        jobLabel: "app.kubernetes.io/name",
        ...(values.hostNetwork === true ? { hostPort: LBC_METRICS_PORT } : {}),
    };
}

/** Spread replicas over zones (best effort) and nodes (hard), matching the release's pods. */
function topologySpread(matchLabels: Record<string, string>) {
    return [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels } },
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels } },
    ];
}

export function loadBalancerControllerValues<T>(i: LoadBalancerControllerInputs<T>): Record<string, unknown> {
    const lbc = i.config.loadBalancerController;
    const podLabels = { "app.kubernetes.io/name": LBC_CHART, "app.kubernetes.io/instance": LBC_CHART };
    const values: Record<string, unknown> = {
        // The nodes' IMDS hop limit is 1: pods cannot discover region and VPC themselves.
        clusterName: i.clusterName,
        region: i.region,
        vpcId: i.vpcId,
        replicaCount: lbc.replicas,
        serviceAccount: { create: true, name: LBC_SERVICE_ACCOUNT },
        // The chart renders the PDB only when replicaCount > 1.
        podDisruptionBudget: { maxUnavailable: 1 },
        topologySpreadConstraints: topologySpread(podLabels),
        ...placementValues(i.system ?? SYSTEM_PLACEMENT),
        priorityClassName: "system-cluster-critical",
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        // The IngressClass and its params are Pulumi resources (createIngressClassResource off): the chart's
        // IngressClassParams would skip webhook validation and could not carry the configured scheme reliably.
        createIngressClassResource: false,
        ingressClassParams: { create: false },
        ingressClass: i.config.ingressClass.name,
        defaultTargetType: i.podsRoutableFromVpc ? "ip" : "instance",
        defaultLoadBalancerScheme: i.config.ingressClass.scheme,
        enableServiceMutatorWebhook: true,
        // Fail for tenants, skipped in the platform's namespaces: see LBC_SERVICE_WEBHOOK.
        serviceMutatorWebhookConfig: {
            failurePolicy: "Fail",
            namespaceSelectors: serviceWebhookNamespaceSelectors(i.platformServiceNamespaces ?? []),
        },
        controllerConfig: { featureGates: { ...GATEWAY_FEATURE_GATES } },
    };
    if (!i.podsRoutableFromVpc) {
        // The EKS control plane cannot reach overlay pod addresses: the webhook must listen on the node.
        values.hostNetwork = true;
        values.dnsPolicy = "ClusterFirstWithHostNet";
    }
    return values;
}

export interface NginxInputs {
    config: IngressConfig;
    podsRoutableFromVpc: boolean;
    system?: Placement;
}

/** Annotations of the ingress-nginx Service that make the LB controller (not the in-tree controller) build an NLB. */
export function nginxServiceAnnotations(scheme: IngressConfig["nginx"]["scheme"], podsRoutableFromVpc: boolean): Record<string, string> {
    return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": podsRoutableFromVpc ? "ip" : "instance",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": scheme,
        "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
    };
}

/**
 * The plan warning of a stack that still runs ingress-nginx (only possible with nginx.acknowledgeRetired): what is
 * retired, since when, and the way out. Undefined when nginx is off.
 */
export function nginxRetirementWarning(nginx: IngressConfig["nginx"]): string | undefined {
    if (!nginx.enabled) return undefined;
    return (
        `ingress-nginx ${nginx.chartVersion} is retired (kubernetes/ingress-nginx, 2026-03-24: no releases, no CVE fixes) and runs here only ` +
        "because eks-platform:ingress.nginx.acknowledgeRetired is true. Move its Ingresses to HTTPRoutes on the shared Gateways " +
        "(README, Migrating from Ingress), then set nginx.enabled: false: the next up deletes its NLB."
    );
}

export function nginxValues(i: NginxInputs): Record<string, unknown> {
    const nginx = i.config.nginx;
    const podLabels = {
        "app.kubernetes.io/name": NGINX_CHART,
        "app.kubernetes.io/instance": NGINX_CHART,
        "app.kubernetes.io/component": "controller",
    };
    return {
        controller: {
            replicaCount: nginx.replicas,
            minAvailable: 1,
            topologySpreadConstraints: topologySpread(podLabels),
            nodeSelector: { "kubernetes.io/os": "linux", ...(i.system ?? SYSTEM_PLACEMENT).nodeSelector },
            tolerations: placementValues(i.system ?? SYSTEM_PLACEMENT).tolerations,
            ingressClassResource: { name: "nginx", enabled: true, default: false, controllerValue: "k8s.io/ingress-nginx" },
            ingressClass: "nginx",
            service: {
                type: "LoadBalancer",
                // Claimed by the LB controller explicitly; the in-tree cloud provider would make a Classic LB.
                loadBalancerClass: "service.k8s.aws/nlb",
                annotations: nginxServiceAnnotations(nginx.scheme, i.podsRoutableFromVpc),
                // Preserve client addresses through the NLB (instance targets would SNAT them otherwise).
                externalTrafficPolicy: "Local",
            },
            metrics: { enabled: true },
            // The admission webhook is called by the control plane, which cannot reach overlay pod addresses.
            admissionWebhooks: { enabled: i.podsRoutableFromVpc },
            resources: { requests: { cpu: "100m", memory: "128Mi" } },
        },
    };
}

/** IngressClassParams (elbv2.k8s.aws/v1beta1): the scheme every Ingress of the class gets. */
export function ingressClassParamsObject(config: IngressConfig) {
    return {
        apiVersion: "elbv2.k8s.aws/v1beta1",
        kind: "IngressClassParams",
        metadata: { name: config.ingressClass.name },
        spec: { scheme: config.ingressClass.scheme, ipAddressType: "ipv4" },
    };
}

/** The IngressClass served by the LB controller, pointing at its IngressClassParams. */
export function ingressClassObject(config: IngressConfig) {
    const annotations: Record<string, string> = config.ingressClass.default
        ? { "ingressclass.kubernetes.io/is-default-class": "true" }
        : {};
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "IngressClass",
        metadata: { name: config.ingressClass.name, annotations },
        spec: {
            controller: ALB_CONTROLLER,
            parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: config.ingressClass.name },
        },
    };
}
