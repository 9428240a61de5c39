// One way to install an EKS add-on: the aws.eks.Addon with its pinned version and configuration values, and, when
// the add-on declares one, its Pod Identity role (as data), which the add-on waits for so its pods start with
// credentials. Adding an add-on is one AddonSpec.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { podIdentityRole, type PodIdentityRole, type PodIdentityScope, type PodIdentitySpec } from "./iam";

export interface AddonSpec {
    /** Short key: logical names derive from it (`<component>-<key>`). */
    key: string;
    /** The EKS add-on name (`aws eks describe-addon-versions`). */
    addonName: string;
    version: string;
    configurationValues?: Record<string, unknown>;
    /** The add-on's service account and the AWS access it needs, through EKS Pod Identity. */
    podIdentity?: PodIdentitySpec;
    /** Logical name of the Pod Identity role's resources when it differs from `key` (kept stable: a rename replaces). */
    identityName?: string;
}

export interface InstalledAddon {
    addon: aws.eks.Addon;
    identity?: PodIdentityRole;
}

/**
 * The add-on (`<name>-<key>`) and its Pod Identity role (`<name>-<identityName ?? key>`). `scope` needs the Pod
 * Identity agent only when the add-on declares a role (the agent's own add-on cannot wait for itself).
 */
export function eksAddon(
    name: string,
    scope: PodIdentityScope | { clusterName: pulumi.Input<string> },
    spec: AddonSpec,
    opts: { parent: pulumi.Resource; dependsOn: pulumi.Input<pulumi.Resource>[] },
): InstalledAddon {
    let identity: PodIdentityRole | undefined;
    if (spec.podIdentity) {
        if (!("podIdentityAgent" in scope))
            throw new Error(`eksAddon ${spec.key}: a Pod Identity role needs the Pod Identity agent in scope`);
        identity = podIdentityRole(`${name}-${spec.identityName ?? spec.key}`, scope, spec.podIdentity, opts.parent);
    }
    const addon = new aws.eks.Addon(
        `${name}-${spec.key}`,
        {
            clusterName: scope.clusterName,
            addonName: spec.addonName,
            addonVersion: spec.version,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            configurationValues: spec.configurationValues ? JSON.stringify(spec.configurationValues) : undefined,
        },
        { parent: opts.parent, dependsOn: [...opts.dependsOn, ...(identity ? [identity.association, ...identity.policies] : [])] },
    );
    return { addon, ...(identity ? { identity } : {}) };
}
