import { describe } from "vitest";
import { shippedStackPasses } from "./policy-stack.fixture";

describe("policy pack on the shipped dev stack", () => shippedStackPasses("dev"));
