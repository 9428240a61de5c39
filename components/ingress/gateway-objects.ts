// Gateway API objects of the Ingress component, as pure functions of plain inputs: where the standard-channel CRDs
// come from, the GatewayClasses the load balancer controller serves, and per shared Gateway its namespace objects
// (LoadBalancerConfiguration, default TargetGroupConfiguration, Gateway, HTTP->HTTPS redirect route). Field names follow
// the pinned CRDs: gateway.networking.k8s.io v1 (Gateway API v1.6.1) and gateway.k8s.aws v1 (controller v3.5.0);
// tests/ingress/gateway-crd.test.ts validates every object against them.
import type { PlatformConfig } from "../../stacks/config";
import { SHARED_GATEWAYS, type SharedGatewayKey } from "../../lib/gateways";
import { LOAD_BALANCER_SUBNET_ROLE, roleSelector, type SubnetRole, type SubnetSelector } from "../../lib/subnets";

type IngressSettings = PlatformConfig["ingress"];
type SharedGatewaySettings = IngressSettings["gateways"][SharedGatewayKey];

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
export const LBC_GATEWAY_GROUP = "gateway.k8s.aws";

/**
 * Where a Gateway API release publishes its standard channel: one manifest with the CRDs and the safe-upgrades
 * ValidatingAdmissionPolicy (kubernetes-sigs/gateway-api hack/build-install-yaml.sh; "kubectl apply --server-side -f
 * .../releases/download/<version>/standard-install.yaml" is the documented install).
 */
export function gatewayApiStandardInstallUrl(version: string): string {
    return `https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/standard-install.yaml`;
}

/**
 * The controller names the load balancer controller answers to, and the tag prefixes of what it makes for them
 * (kubernetes-sigs/aws-load-balancer-controller pkg/gateway/constants/controller_constants.go at v3.5.0).
 */
export const GATEWAY_CONTROLLERS = {
    alb: { controllerName: "gateway.k8s.aws/alb", tagPrefix: "gateway.k8s.aws.alb", description: "HTTP and gRPC routes on an ALB" },
    nlb: { controllerName: "gateway.k8s.aws/nlb", tagPrefix: "gateway.k8s.aws.nlb", description: "TCP, UDP and TLS routes on an NLB" },
} as const;
export type GatewayClassKind = keyof typeof GATEWAY_CONTROLLERS;
/** The GatewayClass names teams write in their Gateways (the shared Gateways use alb). */
export const GATEWAY_CLASS_NAMES: Readonly<Record<GatewayClassKind, string>> = { alb: "alb", nlb: "nlb" };

/** The listeners of a shared Gateway: HTTPS for the routes, HTTP only for the redirect route of its own namespace. */
export const HTTPS_LISTENER = "https";
export const HTTP_LISTENER = "http";

export interface KubernetesObject<S = Record<string, unknown>> {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: S;
}

export function gatewayClassObject(kind: GatewayClassKind): KubernetesObject {
    return {
        apiVersion: `${GATEWAY_API_GROUP}/v1`,
        kind: "GatewayClass",
        metadata: { name: GATEWAY_CLASS_NAMES[kind] },
        spec: {
            controllerName: GATEWAY_CONTROLLERS[kind].controllerName,
            description: `AWS Load Balancer Controller: ${GATEWAY_CONTROLLERS[kind].description}`,
        },
    };
}

/** Subnet CIDRs of the Network, per role (its subnet plan). */
export type SubnetCidrs = Readonly<Record<SubnetRole, readonly string[]>>;

export interface SharedGatewayInputs {
    key: SharedGatewayKey;
    settings: SharedGatewaySettings;
    /** The namespace of the shared Gateways (gatewayApi.namespace). */
    namespace: string;
    /** ip when pods are routable from the VPC (VPC CNI), instance otherwise (calico-cni). */
    targetType: "ip" | "instance";
    vpcCidr: string;
}

/** The Gateway object's name of a shared Gateway, and its objects' names. */
export const sharedGatewayName = (key: SharedGatewayKey): string => SHARED_GATEWAYS[key].name;
const defaultTargetGroupName = (key: SharedGatewayKey) => `${sharedGatewayName(key)}-targets`;

/** The subnets a shared Gateway's load balancer is placed in: the configured selector, else its scheme's role tag. */
export function gatewaySubnetSelector(key: SharedGatewayKey, settings: SharedGatewaySettings): SubnetSelector {
    return settings.subnetSelector ?? roleSelector(LOAD_BALANCER_SUBNET_ROLE[SHARED_GATEWAYS[key].scheme]);
}

/**
 * The load balancer's settings (gateway.k8s.aws/v1 LoadBalancerConfiguration, referenced by the Gateway's
 * infrastructure.parametersRef): scheme, subnets by tag, who may connect, the HTTPS listener's certificates and TLS
 * policy (Gateway listeners cannot carry ACM certificates: the controller reads them here or discovers them), WAF,
 * and the default target group settings.
 */
export function loadBalancerConfigurationObject(i: SharedGatewayInputs): KubernetesObject {
    const s = i.settings;
    const scheme = SHARED_GATEWAYS[i.key].scheme;
    const [defaultCertificate, ...certificates] = s.certificateArns;
    const listener: Record<string, unknown> = { protocolPort: "HTTPS:443", sslPolicy: s.sslPolicy };
    if (defaultCertificate) listener.defaultCertificate = defaultCertificate;
    if (certificates.length > 0) listener.certificates = certificates;
    const spec: Record<string, unknown> = {
        scheme,
        ipAddressType: "ipv4",
        loadBalancerSubnetsSelector: toMutable(gatewaySubnetSelector(i.key, s)),
        listenerConfigurations: [listener],
        defaultTargetGroupConfiguration: { name: defaultTargetGroupName(i.key) },
    };
    if (s.securityGroupIds) {
        spec.securityGroups = [...s.securityGroupIds];
        // With its own groups the controller still opens the targets to them (docs: manageBackendSecurityGroupRules).
        spec.manageBackendSecurityGroupRules = true;
    } else {
        spec.sourceRanges = [...(s.sourceRanges ?? (scheme === "internal" ? [i.vpcCidr] : ["0.0.0.0/0"]))];
    }
    if (s.wafAclArn) spec.wafV2 = { webACL: s.wafAclArn };
    return {
        apiVersion: `${LBC_GATEWAY_GROUP}/v1`,
        kind: "LoadBalancerConfiguration",
        metadata: { name: sharedGatewayName(i.key), namespace: i.namespace },
        spec,
    };
}

/**
 * The Gateway-level default target group settings: the target type (a Service's own TargetGroupConfiguration may
 * override any field; the controller's fallback would be its --default-target-type).
 */
export function defaultTargetGroupConfigurationObject(i: SharedGatewayInputs): KubernetesObject {
    return {
        apiVersion: `${LBC_GATEWAY_GROUP}/v1`,
        kind: "TargetGroupConfiguration",
        metadata: { name: defaultTargetGroupName(i.key), namespace: i.namespace },
        // No targetReference: a TGC with one cannot be a Gateway's default (docs/guide/gateway/targetgroupconfig.md).
        spec: { defaultConfiguration: { targetType: i.targetType } },
    };
}

export function gatewayObject(i: SharedGatewayInputs): KubernetesObject {
    const s = i.settings;
    if (!s.routeNamespaceLabel) throw new Error(`gateways.${i.key}: routeNamespaceLabel is required (the config rule checks it)`);
    const https: Record<string, unknown> = {
        name: HTTPS_LISTENER,
        protocol: "HTTPS",
        port: 443,
        allowedRoutes: {
            namespaces: { from: "Selector", selector: { matchLabels: { [s.routeNamespaceLabel.key]: s.routeNamespaceLabel.value } } },
            kinds: [
                { group: GATEWAY_API_GROUP, kind: "HTTPRoute" },
                { group: GATEWAY_API_GROUP, kind: "GRPCRoute" },
            ],
        },
    };
    if (s.hostname) https.hostname = s.hostname;
    return {
        apiVersion: `${GATEWAY_API_GROUP}/v1`,
        kind: "Gateway",
        metadata: { name: sharedGatewayName(i.key), namespace: i.namespace },
        spec: {
            gatewayClassName: GATEWAY_CLASS_NAMES.alb,
            infrastructure: {
                parametersRef: { group: LBC_GATEWAY_GROUP, kind: "LoadBalancerConfiguration", name: sharedGatewayName(i.key) },
            },
            listeners: [
                {
                    name: HTTP_LISTENER,
                    protocol: "HTTP",
                    port: 80,
                    // Plain HTTP serves only the redirect below: no team route can attach to port 80.
                    allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ group: GATEWAY_API_GROUP, kind: "HTTPRoute" }] },
                },
                https,
            ],
        },
    };
}

/**
 * HTTP -> HTTPS for every host: a RequestRedirect filter on the http listener (the controller has no load balancer
 * switch for it; it supports the filter, docs/guide/gateway/l7gateway.md, and a scheme change cannot loop).
 */
export function httpsRedirectRouteObject(i: Pick<SharedGatewayInputs, "key" | "namespace">): KubernetesObject {
    return {
        apiVersion: `${GATEWAY_API_GROUP}/v1`,
        kind: "HTTPRoute",
        metadata: { name: `${sharedGatewayName(i.key)}-https-redirect`, namespace: i.namespace },
        spec: {
            parentRefs: [{ group: GATEWAY_API_GROUP, kind: "Gateway", name: sharedGatewayName(i.key), sectionName: HTTP_LISTENER }],
            rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
        },
    };
}

/**
 * Where a shared Gateway's load balancer connects to its targets from, for the baseline network policy: with ip
 * targets its own addresses in the subnets it sits in; with instance targets the nodes (private subnets), which
 * forward to the pods from their own address.
 */
export function targetSourceCidrs(roles: readonly SubnetRole[], targetType: "ip" | "instance", subnets: SubnetCidrs): string[] {
    const from: readonly SubnetRole[] = targetType === "ip" ? roles : ["private"];
    return from.flatMap((role) => subnets[role]);
}

function toMutable(selector: SubnetSelector): Record<string, string[]> {
    return Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, [...v]]));
}
