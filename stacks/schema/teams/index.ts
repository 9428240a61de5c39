// The eks-platform:teams section: its schema, defaults, rules and the teams' pool placements.
export * from "./defaults";
export * from "./placement";
export * from "./rules";
export * from "./schema";
