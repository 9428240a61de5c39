// The kyverno chart's values (chart 3.9.0, app v1.19.0; paths from its values.yaml): every controller on the system
// nodes, replicas per environment (a PodDisruptionBudget comes with replicas > 1), the resource webhooks scoped to team
// namespaces, PolicyExceptions honoured only in Kyverno's own namespace, and metrics and the dashboard for Grafana.
import type { PlatformConfig } from "../../stacks/config";
import { TEAM_NAMESPACE_LABEL } from "../../lib/teams";
import { placementValues, type Placement } from "../lib/placement";

export const KYVERNO_CHART = "kyverno";
export const KYVERNO_REPOSITORY = "https://kyverno.github.io/kyverno/";
export const KYVERNO_NAMESPACE = "kyverno";

export type KyvernoSettings = PlatformConfig["teams"]["kyverno"];

export interface KyvernoValuesInput {
    config: KyvernoSettings;
    system: Placement;
    /** kube-prometheus-stack runs: ServiceMonitors for every controller (they need its CRDs). */
    serviceMonitors: boolean;
    /** Grafana runs: the chart's dashboard ConfigMap (label grafana_dashboard=1, which the Grafana sidecar loads). */
    dashboard: boolean;
}

export function kyvernoValues(input: KyvernoValuesInput) {
    const { config } = input;
    const serviceMonitor = { enabled: input.serviceMonitors };
    return {
        // Global placement reaches every Deployment and the chart's hook Jobs (values.yaml: global.nodeSelector, global.tolerations).
        global: placementValues(input.system),
        config: {
            // The API server calls Kyverno's resource webhooks for team namespaces only (the chart appends its own
            // namespace's exclusion): the platform's pods never wait on Kyverno, whether or not it is up yet.
            webhooks: { namespaceSelector: { matchExpressions: [{ key: TEAM_NAMESPACE_LABEL, operator: "Exists" }] } },
        },
        features: {
            // Exceptions only from Kyverno's namespace, where only the platform writes (a team cannot except itself).
            policyExceptions: { enabled: true, namespace: KYVERNO_NAMESPACE },
        },
        admissionController: { replicas: config.admissionReplicas, serviceMonitor },
        backgroundController: { replicas: config.controllerReplicas, serviceMonitor },
        cleanupController: { replicas: config.controllerReplicas, serviceMonitor },
        reportsController: { replicas: config.controllerReplicas, serviceMonitor },
        grafana: { enabled: input.dashboard },
    };
}
