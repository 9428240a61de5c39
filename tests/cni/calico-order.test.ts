// Issue 11, item 11: the order of Calico's objects on a first `up` is explicit. The operator makes the CRDs at
// start-up; the Installation and APIServer follow its release (inside pulumi-kubernetes' NoMatch retry window);
// the projectcalico.org/v3 baseline policies wait for the APIServer object, which Pulumi holds until the operator
// reports it Ready (pulumi.com/waitFor), so they never race the aggregated API's start.
import { describe, expect, it } from "vitest";
import { CALICO_APISERVER_TIMEOUT, CALICO_CRD_RETRY_WINDOW_SECONDS, calicoApiServer } from "../../components/cni";
import { SYSTEM_NODE_LABELS } from "../../components/lib/placement";
import { Recorder, type PlannedResource } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";

/** pulumi-kubernetes v4.32.0 provider/pkg/retry: a try, then sleeps of 1 s doubling, `retries` more tries. */
const lastAttemptSeconds = (retries: number, factor: number, first = 1) =>
    Array.from({ length: retries }, (_, i) => first * factor ** i).reduce((a, b) => a + b, 0);

describe("Calico's ordering on a first up", () => {
    it("the APIServer object makes Pulumi wait for the operator's Ready condition", () => {
        expect(calicoApiServer().metadata.annotations).toEqual({ "pulumi.com/waitFor": "condition=Ready" });
        expect(CALICO_APISERVER_TIMEOUT).toMatch(/^\d+m$/);
    });

    it("documents the CRD retry window pulumi-kubernetes gives a create refused with NoMatch (5 retries, doubling from 1 s)", () => {
        expect(CALICO_CRD_RETRY_WINDOW_SECONDS).toBe(lastAttemptSeconds(5, 2));
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: release -> Installation -> APIServer (waits for Ready) -> every projectcalico.org/v3 policy`, () => {
            const plan = sharedPlan(stack);
            const recorder = Recorder.of(plan);
            const one = (type: string): PlannedResource => recorder.one(type);
            const release = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "tigera-operator");
            const installation = one("kubernetes:operator.tigera.io/v1:Installation");
            const apiServer = one("kubernetes:operator.tigera.io/v1:APIServer");
            expect(release && installation.dependencies.includes(release.urn)).toBe(true);
            expect(apiServer.dependencies).toContain(installation.urn);
            expect((apiServer.inputs.metadata as { annotations?: Record<string, string> }).annotations?.["pulumi.com/waitFor"]).toBe(
                "condition=Ready",
            );
            const policies = recorder.byType("kubernetes:projectcalico.org/v3:NetworkPolicy");
            expect(policies.length).toBeGreaterThan(0);
            for (const p of policies) expect(p.dependencies, p.name).toContain(apiServer.urn);
        });

        it(`${stack}: Typha runs with the control plane on the system nodes (it takes the tolerations, not the selector)`, () => {
            const installation = Recorder.of(sharedPlan(stack)).one("kubernetes:operator.tigera.io/v1:Installation");
            const spec = installation.inputs.spec as { typhaDeployment?: { spec: { template: { spec: { nodeSelector: unknown } } } } };
            expect(spec.typhaDeployment?.spec.template.spec.nodeSelector).toEqual(SYSTEM_NODE_LABELS);
        });
    }
});
