// Issue 8: each shipped stack's plan deletes in the designed order and binds the before-delete sweep hooks
// (assertions in destroy-order.shared.ts), on the plans `npm run plan -- --json` wrote for this test run.
import { describe } from "vitest";
import { platformConfigFor } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";
import { destroyOrderCases } from "./destroy-order.shared";

for (const stack of ["dev", "prod"]) {
    const config = platformConfigFor(stack);
    describe(`destroy order (${stack})`, () => {
        destroyOrderCases(
            () => sharedPlan(stack),
            () => ({ clusterName: config.clusterName, calico: config.cni.mode !== "vpc-cni-policy", nginx: config.ingress.nginx.enabled }),
        );
    });
}
