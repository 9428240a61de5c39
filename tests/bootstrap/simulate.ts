// The IAM simulator (@cloud-copilot/iam-simulate) over the bootstrap's documents: web-identity role assumption
// against a trust policy, and a pipeline role's requests against its policies and permissions boundary.
import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export const ACCOUNT = "111111111111";
export const REGION = "eu-west-1";
export const GITHUB_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

/** GitHub's token claims as STS exposes them: `token.actions.githubusercontent.com:<claim>`. */
export function claims(values: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [`token.actions.githubusercontent.com:${k}`, v]));
}

/**
 * sts:AssumeRoleWithWebIdentity of `role` by `provider` with `context` (the token's claims), against `trust`.
 *
 * The trust policy first goes through runSimulation, which validates it as a resource policy and fails on a malformed
 * document. The decision comes from runUnsafeSimulation: the validating path keeps only the context keys the Service
 * Authorization Reference lists for the action, which (iam-data 0.21.202609261) names GitHub's provider-specific
 * claims but not the standard OIDC `sub` and `aud` keys, so it would drop the very claims the trust rests on. The
 * unsafe path evaluates the request as given; the trust policy is passed as a validated policy (a plain value of
 * @cloud-copilot/iam-policy's ValidatedPolicy shape) so that it carries a name.
 */
export async function assumeWithWebIdentity(
    trust: unknown,
    role: string,
    context: Record<string, string>,
    provider: string = GITHUB_PROVIDER,
): Promise<Decision> {
    const simulation: Simulation = {
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: trust,
        request: {
            principal: provider,
            action: "sts:AssumeRoleWithWebIdentity",
            resource: { resource: role, accountId: ACCOUNT },
            contextVariables: context,
        },
    };
    const checked = await runSimulation(simulation, {});
    if (checked.resultType === "error") throw new Error(`trust policy rejected by the simulator: ${JSON.stringify(checked.errors)}`);
    const decision = runUnsafeSimulation(
        { ...simulation, resourcePolicy: { __validated: true, policyDocument: trust, metadata: { name: "trust" }, errors: [] } },
        {},
    );
    return decision as Decision;
}

export interface RoleUnderTest {
    /** The role's ARN (the request's principal). */
    arn: string;
    /** Its identity policies, by name. */
    policies: Record<string, unknown>;
    /** Its permissions boundary, if any. */
    boundary?: unknown;
}

export interface RequestOptions {
    /** The resource's own policy: a KMS key's key policy (KMS needs it to allow, identity policies alone never do). */
    resourcePolicy?: unknown;
    /**
     * Evaluate without the simulator's resource-type check, for ARNs it does not parse: AWS's public SSM parameters
     * (`arn:aws:ssm:<region>::parameter/aws/service/...`, no account) match no ARN template of the Service
     * Authorization Reference, which writes every parameter with an account.
     */
    unchecked?: boolean;
}

/** A request by `role` for `action` on `resource`, with the region and any further context keys. */
export async function request(
    role: RoleUnderTest,
    action: string,
    resource: string,
    context: Record<string, string | string[]> = {},
    options: RequestOptions = {},
): Promise<Decision> {
    const simulation: Simulation = {
        identityPolicies: Object.entries(role.policies).map(([name, policy]) => ({ name, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(role.boundary !== undefined ? { permissionBoundaryPolicies: [{ name: "boundary", policy: role.boundary }] } : {}),
        request: {
            principal: role.arn,
            action,
            resource: { resource, accountId: ACCOUNT },
            // IAM is global: its requests carry us-east-1, where its endpoint is.
            contextVariables: { "aws:RequestedRegion": action.startsWith("iam:") ? "us-east-1" : REGION, ...context },
        },
    };
    if (options.resourcePolicy !== undefined)
        simulation.resourcePolicy = {
            __validated: true,
            policyDocument: options.resourcePolicy,
            metadata: { name: "resource" },
            errors: [],
        };
    if (options.unchecked) return runUnsafeSimulation(simulation, {}) as Decision;
    if (options.resourcePolicy !== undefined) simulation.resourcePolicy = options.resourcePolicy;
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}
