// The dev stack's whole plan, as seen from Karpenter (see karpenter.plan.fixture.ts).
import { describe } from "vitest";
import { karpenterPlanTests } from "./karpenter.plan.fixture";

describe("dev plan: Karpenter", () => karpenterPlanTests("dev"));
