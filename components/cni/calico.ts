// Calico through the tigera-operator chart: the chart's values and the operator.tigera.io/v1 objects the Cni
// component creates itself (Installation, APIServer), so they are visible in the plan and checked against the
// operator's CRD. Pure functions; see docs/cni.md for the modes.
import type { CniConfig } from "../../stacks/config";
import { SYSTEM_PLACEMENT, type Placement } from "../lib/placement";

export const CALICO_CHART = "tigera-operator";
export const CALICO_REPOSITORY = "https://docs.tigera.io/calico/charts";
export const CALICO_NAMESPACE = "tigera-operator";
/** Where the operator puts calico-node, Typha, kube-controllers and the API server (tigera/operator v1.42.3 pkg/common: CalicoNamespace; APIServerNamespace is the same). */
export const CALICO_SYSTEM_NAMESPACE = "calico-system";

/** The tigera-operator chart's values: the operator only; every Calico object is made by the Cni component. */
export function tigeraOperatorValues(system: Placement = SYSTEM_PLACEMENT): Record<string, unknown> {
    return {
        // The Installation and APIServer are Pulumi resources (plan-visible, schema-checked, explicit ordering).
        installation: { enabled: false },
        apiServer: { enabled: false },
        // The flow aggregator and its UI are optional add-ons of Calico 3.30+; not part of this platform.
        goldmane: { enabled: false },
        whisker: { enabled: false },
        defaultFelixConfiguration: { enabled: false },
        manageCRDs: true,
        nodeSelector: { "kubernetes.io/os": "linux", ...system.nodeSelector },
        // The chart's default (tolerate everything) is kept: the operator is host-networked and must run on nodes that
        // are not Ready yet (calico-cni: no CNI until Calico runs).
        tolerations: [
            { effect: "NoExecute", operator: "Exists" },
            { effect: "NoSchedule", operator: "Exists" },
        ],
        priorityClassName: "system-cluster-critical",
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    };
}

/** An operator.tigera.io/v1 Installation named "default" (the operator reconciles only that one). */
export interface CalicoInstallation {
    apiVersion: "operator.tigera.io/v1";
    kind: "Installation";
    metadata: { name: "default" };
    spec: Record<string, unknown>;
}

/**
 * The Installation for the mode. calico-policy: Calico enforces policy on top of the VPC CNI (cni and IPAM
 * AmazonVPC, BGP off: the VPC routes pod addresses). calico-cni: Calico is the CNI with its own IPAM and a VXLAN pool
 * (BGP off: EKS gives no BGP peering, VXLAN crosses subnets and zones).
 */
export function calicoInstallation(cni: CniConfig, system: Placement = SYSTEM_PLACEMENT): CalicoInstallation {
    if (cni.mode === "vpc-cni-policy") throw new Error("calicoInstallation: mode vpc-cni-policy installs no Calico");
    const common = {
        kubernetesProvider: "EKS",
        variant: "Calico",
        controlPlaneReplicas: 2,
        controlPlaneNodeSelector: { ...system.nodeSelector },
        controlPlaneTolerations: system.tolerations.map((t) => ({ ...t })),
        // Typha takes controlPlaneTolerations but not the node selector (tigera/operator v1.42.3 pkg/render/typha.go):
        // without this it may start on any untainted node; it belongs with the control plane on the system nodes.
        typhaDeployment: { spec: { template: { spec: { nodeSelector: { ...system.nodeSelector } } } } },
        // No CSI driver for Calico's Dikastes/L7 features: not used here (chart default).
        kubeletVolumePluginPath: "None",
        nodeMetricsPort: 9091,
        typhaMetricsPort: 9093,
    };
    if (cni.mode === "calico-policy") {
        return {
            apiVersion: "operator.tigera.io/v1",
            kind: "Installation",
            metadata: { name: "default" },
            spec: { ...common, cni: { type: "AmazonVPC", ipam: { type: "AmazonVPC" } }, calicoNetwork: { bgp: "Disabled" } },
        };
    }
    return {
        apiVersion: "operator.tigera.io/v1",
        kind: "Installation",
        metadata: { name: "default" },
        spec: {
            ...common,
            cni: { type: "Calico", ipam: { type: "Calico" } },
            calicoNetwork: {
                bgp: "Disabled",
                ipPools: [
                    {
                        name: "default-ipv4-ippool",
                        cidr: cni.calico.ipPoolCidr,
                        encapsulation: "VXLAN",
                        natOutgoing: "Enabled",
                        nodeSelector: "all()",
                        blockSize: cni.calico.blockSize,
                    },
                ],
            },
        },
    };
}

/**
 * How the Calico objects are ordered on a first `up`, and the bound of each wait:
 * - The tigera-operator chart ships no CRDs since v3.32 (charts/tigera-operator/README.md); with manageCRDs the
 *   operator creates the operator.tigera.io and Calico CRDs at start-up, before its controllers (tigera/operator
 *   v1.42.3 cmd/main.go, crds.Ensure). The Installation and the APIServer depend on the release, which waits for the
 *   operator's Deployment (Ready when its container runs: it has no readiness probe), so they are sent within seconds
 *   of the CRDs' creation. pulumi-kubernetes retries a create refused with NotFound/NoMatch 5 times, 1 s doubling
 *   (provider/pkg/await/await.go WithMaxRetries(5).WithBackoffFactor(2), retry.go: attempts at 0, 1, 3, 7, 15 and
 *   31 s): CALICO_CRD_RETRY_WINDOW_SECONDS covers the gap, which is the operator's start.
 * - projectcalico.org/v3 policies need the Calico API server serving, minutes later (calico-node, Typha and the
 *   API server roll out first): far beyond that window. So the APIServer object carries pulumi.com/waitFor
 *   condition=Ready (the operator mirrors its TigeraStatus into status.conditions: api/v1 APIServerStatus), and the
 *   policies depend on it: Pulumi waits up to CALICO_APISERVER_TIMEOUT for the condition, then the policies' own
 *   NoMatch retries cover the aggregated API's registration.
 */
export const CALICO_CRD_RETRY_WINDOW_SECONDS = 31;
/** How long `up` waits for the Calico API server to report Ready (customTimeouts create/update). */
export const CALICO_APISERVER_TIMEOUT = "15m";

/** The Calico API server (projectcalico.org/v3), needed for the Calico-form baseline policies; created once it is Ready. */
export function calicoApiServer(): {
    apiVersion: "operator.tigera.io/v1";
    kind: "APIServer";
    metadata: { name: "default"; annotations: { "pulumi.com/waitFor": "condition=Ready" } };
    spec: Record<string, unknown>;
} {
    return {
        apiVersion: "operator.tigera.io/v1",
        kind: "APIServer",
        metadata: { name: "default", annotations: { "pulumi.com/waitFor": "condition=Ready" } },
        spec: {},
    };
}
