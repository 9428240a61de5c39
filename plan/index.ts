// The offline plan: Pulumi's mock runtime with realistic outputs, the recorder of every registration, the stack
// loader, the plan format and the diff. Scripts and tests import it; product code (index.ts, components/, stacks/)
// never does.
export * from "./dependencies";
export * from "./diff";
export * from "./diff-format";
export * from "./graph";
export * from "./format";
export * from "./mock-outputs";
export * from "./paths";
export * from "./recorder";
export * from "./registration";
export * from "./replacements";
export * from "./runtime";
export * from "./stack";
export * from "./stateful";
export * from "./types";
export * from "./placement";
export * from "./placement-instances";
export * from "./placement-nodes";
export * from "./upgrade-doc";
export * from "./placement-fargate";
