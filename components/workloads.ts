// The platform's workloads by what installs them: each Helm chart, Kubernetes object and EKS add-on the components
// create, mapped to the pure function beside its values builder that says where its pods run. The offline plan's
// placement check (plan/placement.ts) reads the plan's recorded values and calls these; a chart missing here is
// reported, so a new release cannot skip the check.
import { ARGOCD_CHART } from "./argocd/values";
import { argocdWorkloads } from "./argocd/workloads";
import { CERT_MANAGER_CHART, certManagerWorkloads, type CertManagerValues } from "./certificates/values";
import { addonWorkloads } from "./cluster/workloads";
import { EXTERNAL_DNS_CHART, externalDnsWorkloads, type ExternalDnsValues } from "./dns/values";
import { DEVICE_PLUGIN_CHART, devicePluginWorkloads, type DevicePluginValues } from "./gpu/values";
import type { CalicoInstallation } from "./cni/calico";
import { calicoWorkloads, tigeraOperatorWorkloads } from "./cni/workloads";
import { LBC_CHART, NGINX_CHART } from "./ingress/values";
import { loadBalancerControllerWorkloads, nginxWorkloads } from "./ingress/workloads";
import { KARPENTER_CHART, KARPENTER_CRD_CHART, karpenterWorkloads, type KarpenterValues } from "./karpenter/values";
import { KYVERNO_CHART } from "./kyverno/values";
import { kyvernoWorkloads } from "./kyverno/workloads";
import { podTemplateWorkload, type Workload, type WorkloadKind } from "./lib/workloads";
import { CALICO_CHART } from "./cni/calico";
import type { FluentBitValues, LokiValues } from "./observability/log-values";
import { CHART_REPOSITORIES, type KubePrometheusStackValues } from "./observability/values";
import { fluentBitWorkloads, kubePrometheusStackWorkloads, lokiWorkloads } from "./observability/workloads";

export type { Workload } from "./lib/workloads";

/**
 * A release's workloads from its values as recorded in the plan. The values are what the component's builder
 * returned (the plan records them unchanged), so each function reads them with the builder's type.
 */
type ReleaseWorkloads = (values: never, namespace: string) => Workload[];

const none: ReleaseWorkloads = () => [];

/** By the Release's `chart` input. */
export const RELEASE_WORKLOADS: Readonly<Record<string, ReleaseWorkloads>> = {
    [KARPENTER_CHART]: (values: KarpenterValues, namespace) => karpenterWorkloads(values, namespace),
    [KARPENTER_CRD_CHART]: none,
    [LBC_CHART]: (values: Parameters<typeof loadBalancerControllerWorkloads>[0]) => loadBalancerControllerWorkloads(values),
    [NGINX_CHART]: (values: Parameters<typeof nginxWorkloads>[0]) => nginxWorkloads(values),
    [CALICO_CHART]: (values: Parameters<typeof tigeraOperatorWorkloads>[0]) => tigeraOperatorWorkloads(values),
    [CHART_REPOSITORIES.prometheusOperatorCrds.chart]: none,
    [CHART_REPOSITORIES.kubePrometheusStack.chart]: (values: KubePrometheusStackValues, namespace) =>
        kubePrometheusStackWorkloads(values, namespace),
    [CHART_REPOSITORIES.loki.chart]: (values: LokiValues, namespace) => lokiWorkloads(values, namespace),
    [CHART_REPOSITORIES.fluentBit.chart]: (values: FluentBitValues, namespace) => fluentBitWorkloads(values, namespace),
    [KYVERNO_CHART]: (values: Parameters<typeof kyvernoWorkloads>[0]) => kyvernoWorkloads(values),
    [ARGOCD_CHART.chart]: (values: Parameters<typeof argocdWorkloads>[0], namespace) => argocdWorkloads(values, namespace),
    [DEVICE_PLUGIN_CHART]: (values: DevicePluginValues, namespace) => devicePluginWorkloads(values, namespace),
    [CERT_MANAGER_CHART]: (values: CertManagerValues, namespace) => certManagerWorkloads(values, namespace),
    [EXTERNAL_DNS_CHART]: (values: ExternalDnsValues, namespace) => externalDnsWorkloads(values, namespace),
};

/**
 * Workloads the program declares as Kubernetes objects (the smoke Deployment), by the plan's type token: each is
 * described from its own pod template.
 */
export const OBJECT_WORKLOADS: Readonly<Record<string, WorkloadKind>> = {
    "kubernetes:apps/v1:Deployment": "Deployment",
    "kubernetes:apps/v1:StatefulSet": "StatefulSet",
    "kubernetes:apps/v1:DaemonSet": "DaemonSet",
};

/** An object workload's description from its inputs as the plan records them. */
export const objectWorkload = (kind: WorkloadKind, inputs: Record<string, unknown>): Workload =>
    podTemplateWorkload(kind, inputs as Parameters<typeof podTemplateWorkload>[1]);

/** An EKS add-on's workloads from its name and configuration values (as the plan records them, JSON). */
export function addonWorkloadsOf(addonName: string, configurationValues: unknown): Workload[] {
    const values = typeof configurationValues === "string" && configurationValues !== "" ? (JSON.parse(configurationValues) as object) : {};
    return addonWorkloads(addonName, values);
}

/** The operator's workloads from the Installation, with the API server when an APIServer object exists. */
export function calicoWorkloadsOf(installation: Pick<CalicoInstallation, "spec">, opts: { apiServer: boolean; nodes: number }): Workload[] {
    return calicoWorkloads(installation, opts);
}
