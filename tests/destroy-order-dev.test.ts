// Issue 8: the dev stack's plan deletes in the designed order and binds the before-delete sweep hooks
// (assertions in destroy-order.shared.ts; one stack per file, since a plan is one program run per process).
import { beforeAll, describe } from "vitest";
import { planStack, platformConfigFor, type PlanResult } from "./mocks";
import { destroyOrderCases } from "./destroy-order.shared";

const config = platformConfigFor("dev");
let plan: PlanResult;

beforeAll(async () => {
    plan = await planStack("dev");
}, 60_000);

describe("destroy order (dev)", () => {
    destroyOrderCases(
        () => plan,
        () => ({ clusterName: config.clusterName, calico: config.cni.mode !== "vpc-cni-policy", nginx: config.ingress.nginx.enabled }),
    );
});
