import { describe } from "vitest";
import { shippedStackPasses } from "./stack.fixture";

describe("policy pack on the shipped stacks", () => {
    for (const stack of ["dev", "staging", "prod"]) shippedStackPasses(stack);
});
