// Everything switched off: the component declares nothing (no namespace, no release, no bucket, no role).
import { beforeAll, describe, expect, it } from "vitest";
import { children, planObservability, type ObservabilityPlan } from "./fixture";

let plan: ObservabilityPlan;
beforeAll(async () => {
    plan = await planObservability({
        stack: "dev",
        overrides: {
            "eks-platform:observability": {
                prometheus: { enabled: false },
                grafana: { enabled: false },
                alertmanager: { enabled: false },
                logs: "none",
            },
        },
    });
});

describe("observability switched off", () => {
    it("declares no resources", () => {
        expect(children(plan.recorder).map((r) => `${r.type}::${r.name}`)).toEqual([]);
        expect(plan.component.kubePrometheusStack).toBeUndefined();
        expect(plan.component.loki).toBeUndefined();
        expect(plan.component.fluentBit).toBeUndefined();
    });
});
