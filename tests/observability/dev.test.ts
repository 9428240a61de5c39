// dev under the mock runtime: the lighter set (one Prometheus, no Alertmanager, Loki on S3, Fluent Bit), the
// Grafana admin password kept secret, S3 and IAM scoped, and every release waiting for nodes and storage.
import { beforeAll, describe, expect, it } from "vitest";
import { MOCK_ACCOUNT_ID } from "../../plan";
import { at, children, inlinePolicy, planObservability, release, releaseNames, type ObservabilityPlan } from "./fixture";

let plan: ObservabilityPlan;
beforeAll(async () => {
    plan = await planObservability("dev");
});

describe("observability on dev", () => {
    it("installs the four releases at their pinned versions from their repositories into monitoring", () => {
        const { recorder } = plan;
        expect(releaseNames(recorder)).toEqual(["fluent-bit", "kube-prometheus-stack", "loki", "prometheus-operator-crds"]);
        const expected = {
            "prometheus-operator-crds": ["31.0.1", "https://prometheus-community.github.io/helm-charts", "prometheus-operator-crds"],
            "kube-prometheus-stack": ["88.5.3", "https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack"],
            loki: ["18.11.0", "https://grafana-community.github.io/helm-charts", "loki"],
            "fluent-bit": ["0.58.1", "https://fluent.github.io/helm-charts", "fluent-bit"],
        } as const;
        for (const [name, [version, repo, chart]] of Object.entries(expected)) {
            const r = release(recorder, name);
            expect(r.inputs.version).toBe(version);
            expect(r.inputs.chart).toBe(chart);
            expect(at(r.inputs, "repositoryOpts", "repo")).toBe(repo);
            expect(r.inputs.namespace).toBe("monitoring");
            expect(r.provider).toContain("pulumi:providers:kubernetes::k8s");
        }
        expect(recorder.one("kubernetes:core/v1:Namespace").inputs.metadata).toMatchObject({ name: "monitoring" });
    });

    it("sizes Prometheus from the stack: retention, gp3 volume, replicas, requests", () => {
        const values = release(plan.recorder, "kube-prometheus-stack").inputs.values;
        const spec = at(values, "prometheus", "prometheusSpec") as Record<string, unknown>;
        expect(spec.retention).toBe("3d");
        expect(spec.replicas).toBe(1);
        expect(at(spec, "storageSpec", "volumeClaimTemplate", "spec")).toEqual({
            storageClassName: "gp3",
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: "20Gi" } },
        });
        expect(at(spec, "resources", "requests")).toEqual({ cpu: "250m", memory: "1Gi" });
        // On the platform NodePool's on-demand nodes (issue 11, item 10), replicas in different zones.
        expect(spec.nodeSelector).toEqual({ "eks-platform/node-group": "platform", "karpenter.sh/capacity-type": "on-demand" });
        expect(spec.tolerations).toEqual([{ key: "eks-platform/node-group", operator: "Exists", effect: "NoSchedule" }]);
        expect(spec.topologySpreadConstraints).toEqual([
            expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }),
        ]);
    });

    it("turns off what EKS hides and picks up ServiceMonitors cluster-wide", () => {
        const values = release(plan.recorder, "kube-prometheus-stack").inputs.values as Record<string, unknown>;
        for (const hidden of ["kubeControllerManager", "kubeScheduler", "kubeEtcd"]) expect(at(values, hidden, "enabled")).toBe(false);
        expect(at(values, "defaultRules", "rules", "etcd")).toBe(false);
        const spec = at(values, "prometheus", "prometheusSpec") as Record<string, unknown>;
        expect(spec.serviceMonitorSelectorNilUsesHelmValues).toBe(false);
        expect(spec.podMonitorSelectorNilUsesHelmValues).toBe(false);
        expect(spec.ruleSelectorNilUsesHelmValues).toBe(false);
        expect(spec.serviceMonitorNamespaceSelector).toEqual({});
        expect(at(values, "prometheus-node-exporter", "tolerations")).toEqual([{ operator: "Exists" }]);
        expect(at(values, "coreDns", "enabled")).toBe(true);
    });

    it("runs the lighter set on dev: no Alertmanager, no AWS add-ons, no CloudWatch log group", () => {
        const values = release(plan.recorder, "kube-prometheus-stack").inputs.values;
        expect(at(values, "alertmanager")).toEqual({ enabled: false });
        expect(plan.recorder.byType("aws:eks/addon:Addon").map((a) => a.name)).toEqual(["pod-identity-agent"]);
        expect(plan.recorder.byType("aws:cloudwatch/logGroup:LogGroup")).toEqual([]);
    });

    it("gives Grafana a generated admin password through a Secret, never in plain values", () => {
        const { recorder } = plan;
        const password = recorder.one("random:index/randomPassword:RandomPassword");
        expect(password.inputs).toMatchObject({ length: 32 });
        const secret = recorder.one("kubernetes:core/v1:Secret");
        expect(secret.inputs.metadata).toMatchObject({ name: "grafana-admin", namespace: "monitoring" });
        // The Kubernetes SDK wraps all of stringData in a secret; the password Output is secret on its own too.
        expect(secret.inputs.stringData).toBe("[secret]");
        const values = release(recorder, "kube-prometheus-stack").inputs.values;
        expect(at(values, "grafana", "admin")).toEqual({
            existingSecret: "grafana-admin",
            userKey: "admin-user",
            passwordKey: "admin-password",
        });
        expect(JSON.stringify(values)).not.toMatch(/adminPassword|mock-password/);
        // The mock's password value appears nowhere in the recorded plan.
        expect(JSON.stringify(recorder.resources)).not.toContain("mock-password-not-a-secret");
        expect(recorder.dependsOn(release(recorder, "kube-prometheus-stack"), secret)).toBe(true);
        expect(plan.component.grafanaAccess).toBeDefined();
    });

    it("provisions Prometheus (sidecar) and Loki datasources and the platform dashboards", () => {
        const { recorder } = plan;
        const grafana = at(release(recorder, "kube-prometheus-stack").inputs.values, "grafana") as Record<string, unknown>;
        expect(at(grafana, "sidecar", "datasources", "defaultDatasourceEnabled")).toBe(true);
        expect(grafana.additionalDataSources).toEqual([
            expect.objectContaining({ type: "loki", uid: "loki", url: "http://loki.monitoring.svc.cluster.local:3100" }),
        ]);
        const dashboards = recorder.one("kubernetes:core/v1:ConfigMap", "observability-platform-dashboards");
        expect(at(dashboards.inputs, "metadata", "labels")).toEqual({ grafana_dashboard: "1" });
        expect(Object.keys(dashboards.inputs.data as object).sort()).toEqual(["aws-load-balancer-controller.json", "karpenter.json"]);
        // Karpenter's chart has a metrics Service; the load balancer controller's has none without serviceMonitor.enabled,
        // so its pods are scraped (issue 11, item 8).
        const serviceMonitors = recorder.byType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
        const podMonitors = recorder.byType("kubernetes:monitoring.coreos.com/v1:PodMonitor");
        expect(serviceMonitors.map((m) => at(m.inputs, "metadata", "name"))).toEqual(["karpenter"]);
        expect(podMonitors.map((m) => at(m.inputs, "metadata", "name"))).toEqual(["aws-load-balancer-controller"]);
        // They need the CRDs, not the whole stack.
        for (const m of [...serviceMonitors, ...podMonitors, dashboards]) {
            expect(recorder.dependsOn(m, release(recorder, "prometheus-operator-crds"))).toBe(true);
            expect(recorder.dependsOn(m, release(recorder, "kube-prometheus-stack"))).toBe(false);
        }
    });

    it("stores Loki's chunks and rules in encrypted, private, TLS-only buckets with a lifecycle from retention", () => {
        const { recorder } = plan;
        const buckets = recorder.byType("aws:s3/bucket:Bucket");
        expect(buckets.map((b) => b.inputs.bucket).sort()).toEqual([
            `eks-platform-dev-${MOCK_ACCOUNT_ID}-eu-west-1-loki-chunks`,
            `eks-platform-dev-${MOCK_ACCOUNT_ID}-eu-west-1-loki-ruler`,
        ]);
        for (const b of buckets) {
            expect(b.protect).toBe(false);
            expect(b.inputs.forceDestroy).toBe(true);
        }
        const sse = recorder.byType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        expect(sse).toHaveLength(2);
        for (const s of sse)
            expect(at(s.inputs, "rules")).toEqual([
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true },
            ]);
        const blocks = recorder.byType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        expect(blocks).toHaveLength(2);
        for (const b of blocks)
            expect(b.inputs).toMatchObject({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
        for (const o of recorder.byType("aws:s3/bucketOwnershipControls:BucketOwnershipControls"))
            expect(at(o.inputs, "rule", "objectOwnership")).toBe("BucketOwnerEnforced");
        const lifecycle = recorder.one(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "observability-loki-chunks-lifecycle",
        );
        expect(at(lifecycle.inputs, "rules")).toEqual([expect.objectContaining({ status: "Enabled", expiration: { days: 8 } })]);
        const rulerLifecycle = recorder.one(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "observability-loki-ruler-lifecycle",
        );
        expect(JSON.stringify(rulerLifecycle.inputs.rules)).not.toContain("expiration");
        for (const p of recorder.byType("aws:s3/bucketPolicy:BucketPolicy")) {
            const doc = JSON.parse(p.inputs.policy as string) as { Statement: { Effect: string; Condition: unknown }[] };
            expect(doc.Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        }
    });

    it("binds Loki's service account to a role scoped to its two buckets only", () => {
        const { recorder } = plan;
        const arns = recorder
            .byType("aws:s3/bucket:Bucket")
            .map((b) => `arn:aws:s3:::${b.inputs.bucket as string}`)
            .sort();
        const doc = inlinePolicy(recorder, "observability-loki-s3");
        const resources = doc.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
        expect(resources.sort()).toEqual([...arns, ...arns.map((a) => `${a}/*`)].sort());
        expect(doc.Statement.flatMap((s) => s.Action)).not.toContain("s3:*");
        const association = recorder.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "observability-loki-pod-identity");
        expect(association.inputs).toMatchObject({ namespace: "monitoring", serviceAccount: "loki", clusterName: "eks-platform-dev" });
        expect(recorder.dependsOn(association, plan.standIns.podIdentityAgent)).toBe(true);
        const trust = JSON.parse(recorder.one("aws:iam/role:Role", "observability-loki-role").inputs.assumeRolePolicy as string) as {
            Statement: { Condition: { StringEquals: Record<string, string> } }[];
        };
        expect(trust.Statement[0]?.Condition.StringEquals["aws:RequestTag/kubernetes-service-account"]).toBe("loki");
    });

    it("configures Loki monolithic on those buckets with retention and its gp3 volume", () => {
        const { recorder } = plan;
        const values = release(recorder, "loki").inputs.values as Record<string, unknown>;
        expect(values.deploymentMode).toBe("Monolithic");
        expect(at(values, "singleBinary", "replicas")).toBe(1);
        expect(at(values, "singleBinary", "persistence")).toEqual({ enabled: true, storageClass: "gp3", size: "10Gi" });
        expect(at(values, "loki", "storage", "bucketNames")).toEqual({
            chunks: `eks-platform-dev-${MOCK_ACCOUNT_ID}-eu-west-1-loki-chunks`,
            ruler: `eks-platform-dev-${MOCK_ACCOUNT_ID}-eu-west-1-loki-ruler`,
        });
        expect(at(values, "loki", "limits_config", "retention_period")).toBe("168h");
        expect(at(values, "loki", "commonConfig", "replication_factor")).toBe(1);
        expect(at(values, "serviceAccount", "name")).toBe("loki");
        expect(JSON.stringify(values)).not.toMatch(/accessKeyId|secretAccessKey|access_key/i);
    });

    it("ships container logs from every node to Loki with Fluent Bit", () => {
        const values = release(plan.recorder, "fluent-bit").inputs.values as Record<string, unknown>;
        expect(values.kind).toBe("DaemonSet");
        expect(values.tolerations).toEqual([{ operator: "Exists" }]);
        expect(at(values, "resources", "requests")).toEqual({ cpu: "50m", memory: "128Mi" });
        const outputs = at(values, "config", "outputs") as string;
        expect(outputs).toContain("Name loki");
        expect(outputs).toContain("Host loki.monitoring.svc.cluster.local");
        expect(outputs).toContain("Port 3100");
    });

    it("makes every release wait for the system node group, and those with volumes for the storage class", () => {
        const { recorder, standIns } = plan;
        for (const name of ["kube-prometheus-stack", "loki", "fluent-bit"]) {
            expect(recorder.dependsOn(release(recorder, name), standIns.systemNodeGroup), name).toBe(true);
        }
        for (const name of ["kube-prometheus-stack", "loki"])
            expect(recorder.dependsOn(release(recorder, name), standIns.storageClass), name).toBe(true);
        expect(
            recorder.dependsOn(
                release(recorder, "loki"),
                recorder.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "observability-loki-pod-identity"),
            ),
        ).toBe(true);
        // Issue 11, item 12: Loki's ServiceMonitor and rules need the operator's CRDs only, Fluent Bit nothing of Loki
        // (its ServiceMonitor needs the CRDs): all three install beside kube-prometheus-stack, not after it.
        const crds = release(recorder, "prometheus-operator-crds");
        expect(recorder.dependsOn(release(recorder, "fluent-bit"), release(recorder, "loki"))).toBe(false);
        for (const name of ["loki", "fluent-bit", "kube-prometheus-stack"]) {
            expect(recorder.dependsOn(release(recorder, name), crds), name).toBe(true);
        }
        for (const name of ["loki", "fluent-bit"])
            expect(recorder.dependsOn(release(recorder, name), release(recorder, "kube-prometheus-stack")), name).toBe(false);
        // kube-prometheus-stack no longer installs the CRDs itself (the CRD release upgrades them; Helm's crds/ never does).
        expect(at(release(recorder, "kube-prometheus-stack").inputs.values, "crds", "enabled")).toBe(false);
    });

    it("parents every resource to the component", () => {
        const ownTypes = children(plan.recorder).map((r) => r.type);
        expect(ownTypes).toContain("kubernetes:helm.sh/v3:Release");
        const strays = plan.recorder.resources.filter(
            (r) =>
                !r.type.startsWith("pulumi:providers:") &&
                !["system", "gp3", "pod-identity-agent", "internal-gateway", "observability"].includes(r.name) &&
                !r.parent?.includes("Observability"),
        );
        expect(strays.map((r) => `${r.type}::${r.name}`)).toEqual([]);
    });
});
