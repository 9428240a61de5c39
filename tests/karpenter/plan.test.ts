// The dev and prod stacks' whole plans, as seen from Karpenter (see karpenter.plan.fixture.ts).
import { describe } from "vitest";
import { karpenterPlanTests } from "./plan.fixture";

describe("dev plan: Karpenter", () => karpenterPlanTests("dev"));
describe("prod plan: Karpenter", () => karpenterPlanTests("prod"));
