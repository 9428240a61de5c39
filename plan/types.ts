// The offline plan's data: one resource as the program declares it, and a whole plan (what `npm run plan -- --json`
// writes, what the policy pack, the diff and the tests read).

/** One resource as the program declares it: what `pulumi up` would register. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    /** The explicit provider, as `<provider urn>::<id>`. */
    provider?: string;
    /** URNs this resource waits for: explicit dependsOn and the resources whose outputs feed its inputs. */
    dependencies: string[];
    /** Inputs as registered; secrets read "[secret]", values unknown at plan time "[unknown]". */
    inputs: Record<string, unknown>;
    protect: boolean;
    /** Names of the resource hooks bound to it, by lifecycle step. */
    hooks?: Record<string, string[]>;
    /** The resources' own `deletedWith`, `retainOnDelete` and aliases where set. */
    deletedWith?: string;
    retainOnDelete?: boolean;
    /**
     * Set on resources the mock runtime registers to stand in for the children of a remote `@pulumi/eks`
     * component (e.g. its aws:eks/cluster:Cluster): they exist in a real deployment but their inputs here are
     * not the real ones, so policies and diffs skip them.
     */
    standIn?: true;
    /**
     * What the offline diff needs to tell what `pulumi preview` would (plan/registration.ts): the URNs feeding each
     * top-level input (a replaced resource makes them unknown), the URNs the resource's aliases resolve to, and its
     * own replaceOnChanges / ignoreChanges paths.
     */
    propertyDependencies?: Record<string, string[]>;
    aliases?: string[];
    replaceOnChanges?: string[];
    ignoreChanges?: string[];
}

export interface PlanResult {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
}
