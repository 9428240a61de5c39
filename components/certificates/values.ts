// Helm values of cert-manager (chart v1.21.1, cert-manager/cert-manager deploy/charts/cert-manager/values.yaml at
// v1.21.1, 24e33194) and where its pods run: the controller, the webhook and the CA injector on the system nodes.
import { placementValues, type Placement, type Toleration } from "../lib/placement";
import { requestsOf, workload, type Workload } from "../lib/workloads";

export const CERT_MANAGER_CHART = "cert-manager";
export const CERT_MANAGER_REPOSITORY = "https://charts.jetstack.io";
export const CERT_MANAGER_NAMESPACE = "cert-manager";
export const CERT_MANAGER_RELEASE = "cert-manager";
/** The webhook's container port (values.yaml webhook.securePort): the control plane calls it there. */
export const CERT_MANAGER_WEBHOOK_PORT = 10250;
/**
 * Its port on the host network (calico-cni): the control plane cannot reach overlay pod addresses, and 10250 is the
 * kubelet's there ("the default port for the webhook conflicts with kubelet on the host network", values.yaml).
 */
export const CERT_MANAGER_HOST_WEBHOOK_PORT = 10260;

interface Part {
    replicaCount: number;
    podDisruptionBudget: { enabled: boolean; minAvailable?: number };
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
}

export interface CertManagerValues extends Part {
    /** The CRDs come with the release, and stay when it is uninstalled (the chart's crds.keep). */
    crds: { enabled: true; keep: true };
    webhook: Part & { hostNetwork?: true; securePort?: number };
    cainjector: Part;
    /** The post-install hook Job that waits for the webhook: it runs before any other node may exist. */
    startupapicheck: { nodeSelector: Record<string, string>; tolerations: Toleration[] };
}

const part = (replicas: number, placement: Placement, memory: string, memoryLimit: string): Part => ({
    replicaCount: replicas,
    // "If replicas > 1, consider setting podDisruptionBudget.enabled=true" (values.yaml, replicaCount).
    podDisruptionBudget: replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
    ...placementValues(placement),
    resources: { requests: { cpu: "10m", memory }, limits: { memory: memoryLimit } },
});

/**
 * cert-manager on the system nodes (it serves webhooks the control plane calls; nothing else depends on tenant
 * pools). `podsRoutableFromVpc` false (calico-cni): the webhook listens on the node instead.
 */
export function certManagerValues(replicas: number, system: Placement, podsRoutableFromVpc = true): CertManagerValues {
    return {
        crds: { enabled: true, keep: true },
        // Small requests and a memory ceiling: the chart sets none (resources: {}); the controller's cache grows with
        // the Certificates and Secrets it watches.
        ...part(replicas, system, "64Mi", "256Mi"),
        webhook: {
            ...part(replicas, system, "32Mi", "128Mi"),
            ...(podsRoutableFromVpc ? {} : { hostNetwork: true as const, securePort: CERT_MANAGER_HOST_WEBHOOK_PORT }),
        },
        cainjector: part(replicas, system, "64Mi", "256Mi"),
        startupapicheck: placementValues(system),
    };
}

export function certManagerWorkloads(values: CertManagerValues, namespace = CERT_MANAGER_NAMESPACE): Workload[] {
    const describe = (component: string, p: Part, hostPort = false) =>
        workload({
            name: `${CERT_MANAGER_RELEASE}/${component}`,
            namespace,
            kind: "Deployment",
            replicas: p.replicaCount,
            nodeSelector: p.nodeSelector,
            tolerations: p.tolerations,
            requests: requestsOf(p.resources),
            // On the host network two webhook pods cannot share a node (one port).
            antiAffinity: hostPort ? ["kubernetes.io/hostname"] : [],
        });
    return [
        describe("controller", values),
        describe("webhook", values.webhook, values.webhook.hostNetwork === true),
        describe("cainjector", values.cainjector),
        workload({
            name: `${CERT_MANAGER_RELEASE}/startupapicheck`,
            namespace,
            kind: "Job",
            replicas: 1,
            nodeSelector: values.startupapicheck.nodeSelector,
            tolerations: values.startupapicheck.tolerations,
            requests: requestsOf(undefined),
        }),
    ];
}
