// Calico through the tigera-operator chart: the chart's values and the operator.tigera.io/v1 objects the Cni
// component creates itself (Installation, APIServer), so they are visible in the plan and checked against the
// operator's CRD. Pure functions; see the README's CNI section for the modes.
import type { CniConfig } from "../../stacks/config";
import { SYSTEM_PLACEMENT, type Placement } from "../lib/placement";

export const CALICO_CHART = "tigera-operator";
export const CALICO_REPOSITORY = "https://docs.tigera.io/calico/charts";
export const CALICO_NAMESPACE = "tigera-operator";

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

/** The Calico API server (projectcalico.org/v3), needed for the Calico-form baseline policies. */
export function calicoApiServer(): {
    apiVersion: "operator.tigera.io/v1";
    kind: "APIServer";
    metadata: { name: "default" };
    spec: Record<string, unknown>;
} {
    return { apiVersion: "operator.tigera.io/v1", kind: "APIServer", metadata: { name: "default" }, spec: {} };
}
