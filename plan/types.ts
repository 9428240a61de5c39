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
    /**
     * The id the mock runtime answered with (a mocked value, like every provider-computed one). Stack policies read
     * it as a real preview's outputs carry it, e.g. to match a node group's subnetIds to the stack's subnets.
     */
    id?: string;
    /** Inputs as registered; secrets read "[secret]", values unknown at plan time "[unknown]". */
    inputs: Record<string, unknown>;
    protect: boolean;
    /** Names of the resource hooks bound to it, by lifecycle step. */
    hooks?: Record<string, string[]>;
    /** The resources' own `deletedWith`, `retainOnDelete`, `ignoreChanges` and `deleteBeforeReplace` where set. */
    deletedWith?: string;
    retainOnDelete?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: true;
    /**
     * Set on the children the mock runtime registers for a remote `@pulumi/eks` component, modeled on what its
     * provider builds (plan/mock-eks.ts, @pulumi/eks v4.3.0): names, inputs, options and edges as a real `up` would
     * register them; ids, ARNs and the OIDC thumbprint are mocked like every provider-computed value.
     */
    standIn?: true;
    /**
     * What the offline diff needs to tell what `pulumi preview` would (plan/registration.ts): the URNs feeding each
     * top-level input (a replaced resource makes them unknown), the URNs the resource's aliases resolve to, and its
     * own replaceOnChanges paths (ignoreChanges is recorded above).
     */
    propertyDependencies?: Record<string, string[]>;
    aliases?: string[];
    replaceOnChanges?: string[];
}

export interface PlanResult {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
}
