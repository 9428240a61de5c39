// The public API endpoint guardrail: one definition the config contract (clusterRules) and the policy pack
// (policy/rules/cluster.ts, eks-endpoint-not-public) both apply, so what `npm run plan` accepts is what
// `pulumi preview --policy-pack` accepts. The pack reads the per-environment values from policy/config/<env>.json
// (it cannot import this module at preview time); tests/policy/endpoint-agreement.test.ts holds those files to
// ENDPOINT_GUARDRAILS.
//
// Wide networks are judged by what the list covers, not by its spelling: 0.0.0.0/1 plus 128.0.0.0/1 is the whole
// internet as surely as 0.0.0.0/0, and an empty list is too (EKS then opens the endpoint to 0.0.0.0/0).
import { addressesCovered, blockSize } from "../../lib/cidr";
import type { Environment } from "./common";

export interface EndpointGuardrail {
    /** Whether the public endpoint may be on at all (prod: no, CIS EKS 5.4.2). */
    allowPublicAccess: boolean;
    /** The most IPv4 addresses publicAccessCidrs may cover together (overlaps counted once). */
    maxPublicAddresses: number;
}

/** IPv4 addresses in all: what an empty list or 0.0.0.0/0 opens the endpoint to. */
export const ALL_IPV4_ADDRESSES = blockSize(0);

/**
 * Per environment, with the pack's enforcement level for eks-endpoint-not-public there: `mandatory` findings refuse
 * the config, `advisory` ones are warnings (the pack prints them too).
 * - prod: private only. The endpoint is reached over VPN or Direct Connect; no CIDR list makes it acceptable.
 * - staging: at most 65,536 addresses (a /16's worth): offices, VPN egress and CI runners' NAT addresses are /32 to
 *   /24 networks, and a /16 of them is already generous; more is someone else's network.
 * - dev: at most 16,777,216 addresses (a /8's worth), advisory: dev may name a hosted service's published range,
 *   but a list wider than that is the internet in all but name, so it is warned about.
 */
export const ENDPOINT_GUARDRAILS: Readonly<Record<Environment, EndpointGuardrail & { level: "mandatory" | "advisory" }>> = {
    dev: { allowPublicAccess: true, maxPublicAddresses: blockSize(8), level: "advisory" },
    staging: { allowPublicAccess: true, maxPublicAddresses: blockSize(16), level: "mandatory" },
    prod: { allowPublicAccess: false, maxPublicAddresses: 0, level: "mandatory" },
};

/** The pack's defaults when a config file names no value: prod's stance, and staging's width should one allow access. */
export const DEFAULT_ENDPOINT_GUARDRAIL: EndpointGuardrail = {
    allowPublicAccess: false,
    maxPublicAddresses: ENDPOINT_GUARDRAILS.staging.maxPublicAddresses,
};

export type EndpointFinding =
    /** The public endpoint is on where only a private one is allowed. */
    | { kind: "private-only" }
    /** The public endpoint's networks cover more addresses than allowed (an empty list covers all of them). */
    | { kind: "too-wide"; covered: number; limit: number; cidrs: readonly string[] };

/** What the guardrail finds wrong with a public endpoint; nothing for a private one. */
export function publicEndpointFindings(
    endpoint: { publicAccess: boolean; publicAccessCidrs: readonly string[] },
    guardrail: EndpointGuardrail,
): EndpointFinding[] {
    if (!endpoint.publicAccess) return [];
    if (!guardrail.allowPublicAccess) return [{ kind: "private-only" }];
    const covered = endpoint.publicAccessCidrs.length === 0 ? ALL_IPV4_ADDRESSES : addressesCovered(endpoint.publicAccessCidrs);
    return covered > guardrail.maxPublicAddresses
        ? [{ kind: "too-wide", covered, limit: guardrail.maxPublicAddresses, cidrs: endpoint.publicAccessCidrs }]
        : [];
}

/** "4,294,967,296 addresses (100% of IPv4)": how much a list opens, for both sides' messages. */
export function describeCoverage(addresses: number): string {
    const share = (addresses / ALL_IPV4_ADDRESSES) * 100;
    const percent = share >= 1 ? `${Math.round(share)}%` : share > 0 ? `${share.toPrecision(2)}%` : "0%";
    return `${addresses.toLocaleString("en-US")} addresses (${percent} of IPv4)`;
}

/** The limit in words: "65,536 addresses (a /16's worth)". */
export function describeLimit(addresses: number): string {
    const prefix = 32 - Math.log2(addresses);
    return `${addresses.toLocaleString("en-US")} addresses${Number.isInteger(prefix) ? ` (a /${prefix}'s worth)` : ""}`;
}
