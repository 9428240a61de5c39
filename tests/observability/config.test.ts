// Bad observability settings fail with the key path, the value and the rule; the environments' defaults parse.
import { describe, expect, it } from "vitest";
import { configError } from "../helpers/config";
import { platformConfigFor } from "../../plan";

const problemsFor = (stack: string, observability: Record<string, unknown>): string =>
    configError({ stack, overrides: { "eks-platform:observability": observability } }).message;

describe("observability config", () => {
    it("gives each stack its defaults: the lighter set on dev, Container Insights on prod", () => {
        const dev = platformConfigFor("dev").observability;
        expect(dev.alertmanager.enabled).toBe(false);
        expect(dev.prometheus).toMatchObject({ retention: "3d", storageGiB: 20, replicas: 1 });
        expect(dev.containerInsights.enabled).toBe(false);
        const prod = platformConfigFor("prod").observability;
        expect(prod.prometheus).toMatchObject({ retention: "15d", storageGiB: 200, replicas: 2 });
        expect(prod.alertmanager).toEqual({ enabled: true, replicas: 2 });
        expect(prod.alerting).toEqual({ receivers: [{ name: "platform", sns: {} }], defaultReceiver: "platform", routes: [] });
        expect(prod.loki.retentionDays).toBe(90);
        expect(prod.containerInsights.enabled).toBe(true);
        expect(platformConfigFor("staging").observability.logs).toBe("loki");
    });

    it("rejects a retention that is not a Prometheus duration", () => {
        const message = problemsFor("dev", { prometheus: { retention: "15 days" } });
        expect(message).toContain(
            'eks-platform:observability.prometheus.retention: must be a Prometheus duration such as 15d or 12h (got "15 days")',
        );
        expect(problemsFor("dev", { prometheus: { retention: "0d" } })).toContain("eks-platform:observability.prometheus.retention");
    });

    it("rejects an unknown log destination", () => {
        expect(problemsFor("dev", { logs: "elasticsearch" })).toContain(
            'eks-platform:observability.logs: must be one of loki, cloudwatch, none (got "elasticsearch")',
        );
    });

    it("rejects Loki with zero replicas", () => {
        expect(problemsFor("prod", { loki: { replicas: 0 } })).toContain(
            "eks-platform:observability.loki.replicas: must be between 1 and 10 (got 0)",
        );
    });

    it("rejects a malformed Grafana ingress host", () => {
        for (const host of ["https://grafana.example.com", "grafana", "Grafana.Example.com", "grafana.example.com/path"]) {
            expect(problemsFor("dev", { grafana: { ingressHost: host } })).toContain(
                `eks-platform:observability.grafana.ingressHost: must be a DNS name such as grafana.example.com (no scheme, port or path) (got ${JSON.stringify(host)})`,
            );
        }
    });

    it("rejects a CloudWatch retention CloudWatch does not offer and a Prometheus volume under 10 GiB", () => {
        expect(problemsFor("dev", { cloudwatch: { retentionDays: 10 } })).toContain(
            "eks-platform:observability.cloudwatch.retentionDays: must be one of CloudWatch Logs' retention periods",
        );
        expect(problemsFor("dev", { prometheus: { storageGiB: 5 } })).toContain(
            "eks-platform:observability.prometheus.storageGiB: must be between 10 and 16384 (got 5)",
        );
    });

    it("rejects requests that are not Kubernetes quantities", () => {
        expect(problemsFor("dev", { loki: { requests: { cpu: "half a core" } } })).toContain(
            "eks-platform:observability.loki.requests.cpu: must be a Kubernetes quantity",
        );
    });

    it("rejects Grafana or Alertmanager without Prometheus, and an Ingress without Grafana", () => {
        const message = problemsFor("dev", { prometheus: { enabled: false }, alertmanager: { enabled: true } });
        expect(message).toContain("eks-platform:observability.grafana.enabled: needs prometheus.enabled");
        expect(message).toContain("eks-platform:observability.alertmanager.enabled: needs prometheus.enabled");
        expect(problemsFor("dev", { grafana: { enabled: false, ingressHost: "grafana.example.com" } })).toContain(
            "eks-platform:observability.grafana.ingressHost: needs grafana.enabled",
        );
    });

    it("runs ADOT on the platform's cert-manager, and refuses ADOT without it", () => {
        expect(
            platformConfigFor({ stack: "dev", overrides: { "eks-platform:observability": { adot: { enabled: true } } } }).observability.adot
                .enabled,
        ).toBe(true);
        const error = configError({
            stack: "dev",
            overrides: {
                "eks-platform:observability": { adot: { enabled: true } },
                "eks-platform:certificates": { certManager: { enabled: false } },
            },
        });
        expect(error.message).toContain(
            "eks-platform:observability.adot.enabled: needs eks-platform:certificates.certManager.enabled: the ADOT operator's admission webhooks get their certificates from cert-manager (got true)",
        );
    });

    it("refuses the removed adot.certManagerInstalled with how to migrate, naming the value", () => {
        for (const value of [true, false])
            expect(problemsFor("dev", { adot: { enabled: true, certManagerInstalled: value } })).toContain(
                `eks-platform:observability.adot.certManagerInstalled: was removed: the platform now installs cert-manager itself (eks-platform:certificates.certManager, on by default) and the ADOT add-on waits for it; delete this line, and if you installed cert-manager by hand, uninstall it before the next up (two cert-managers would fight over the same CRDs and webhooks) (got ${value})`,
            );
    });

    it("rejects unknown settings by their path", () => {
        expect(problemsFor("dev", { loki: { replica: 2 } })).toContain("eks-platform:observability.loki.replica: is not a known setting");
    });
});
