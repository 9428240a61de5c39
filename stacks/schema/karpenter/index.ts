// The eks-platform:karpenter section: its schema and defaults, the pools Karpenter gets, and its rules.
export * from "./gpu-rules";
export * from "./pools";
export * from "./requirements";
export * from "./rules";
export * from "./schema";
