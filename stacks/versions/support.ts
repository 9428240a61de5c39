// Where a Kubernetes minor stands on the EKS release calendar on the table's as-of day, and the rule the config
// applies: past standard support, prod refuses the version unless the stack accepts extended support (and sets the
// cluster's upgradePolicy.supportType to EXTENDED); other environments get a warning. Judged against the table's
// as-of date, never the wall clock, so a plan is reproducible and main does not turn red on a calendar day.
import type { Environment } from "../schema/common";
import { KUBERNETES_MINORS, isKubernetesMinor, type IsoDate, type KubernetesMinor, type VersionTable } from "./model";
import { VERSION_TABLE } from "./table";

export type SupportPhase = "unreleased" | "standard" | "extended" | "unsupported";

export interface SupportStatus {
    kubernetes: KubernetesMinor;
    phase: SupportPhase;
    asOf: IsoDate;
    eksRelease: IsoDate;
    endOfStandardSupport: IsoDate;
    endOfExtendedSupport: IsoDate;
    /** Days from asOf to the first day of the next phase; absent once unsupported. */
    daysToNextPhase?: number;
}

/**
 * EKS's per-cluster-hour prices (EKS pricing page; "Amazon EKS extended support for Kubernetes versions pricing",
 * AWS Containers blog): what accepting extended support costs, printed in the rule's messages.
 */
export const CLUSTER_HOUR_PRICE_USD = { standard: 0.1, extended: 0.6 } as const;

/** EKS announces the end of standard support at least 60 days ahead (user guide, "Amazon EKS version FAQs"). */
export const STANDARD_SUPPORT_NOTICE_DAYS = 60;

/** Raised for a minor the table has no entry for: nothing is known about its dates or builds. */
export class UnknownKubernetesVersionError extends Error {
    constructor(readonly kubernetes: string) {
        super(
            `Kubernetes ${kubernetes} has no entry in the version table (stacks/versions/table.ts has ${KUBERNETES_MINORS.join(", ")}): ` +
                `add one with npm run versions -- --region <region> --kubernetes ${kubernetes}`,
        );
        this.name = "UnknownKubernetesVersionError";
    }
}

const DAY_MS = 24 * 60 * 60 * 1000;
function utcDay(date: IsoDate): number {
    const ms = Date.parse(`${date}T00:00:00Z`);
    if (Number.isNaN(ms)) throw new Error(`not a calendar day (YYYY-MM-DD): ${date}`);
    return ms;
}
const daysBetween = (from: IsoDate, to: IsoDate) => Math.round((utcDay(to) - utcDay(from)) / DAY_MS);

/** The minor's support phase on `on` (the table's own as-of date by default). Throws for a minor not in the table. */
export function supportStatus(minor: string, on?: IsoDate, table: VersionTable = VERSION_TABLE): SupportStatus {
    if (!isKubernetesMinor(minor)) throw new UnknownKubernetesVersionError(minor);
    const asOf = on ?? table.asOf;
    const { eksRelease, endOfStandardSupport, endOfExtendedSupport } = table.minors[minor].support;
    const day = utcDay(asOf);
    // Each calendar date is the first UTC day of the next phase: billing for extended support "starts at the
    // beginning of the day that the version reaches end of standard support, in the UTC+0 timezone" (user guide).
    const [phase, next]: [SupportPhase, IsoDate | undefined] =
        day < utcDay(eksRelease)
            ? ["unreleased", eksRelease]
            : day < utcDay(endOfStandardSupport)
              ? ["standard", endOfStandardSupport]
              : day < utcDay(endOfExtendedSupport)
                ? ["extended", endOfExtendedSupport]
                : ["unsupported", undefined];
    return {
        kubernetes: minor,
        phase,
        asOf,
        eksRelease,
        endOfStandardSupport,
        endOfExtendedSupport,
        ...(next ? { daysToNextPhase: daysBetween(asOf, next) } : {}),
    };
}

/** The config keys the rule names; the lead wires them into the cluster section. */
export const SUPPORT_SETTING_PATHS = {
    kubernetesVersion: ["eks-platform:cluster", "kubernetesVersion"],
    supportType: ["eks-platform:cluster", "upgradePolicy", "supportType"],
    acceptExtendedSupport: ["eks-platform:cluster", "acceptExtendedSupport"],
} as const;

export interface SupportPolicyInput {
    environment: Environment;
    kubernetesVersion: string;
    /** The cluster's upgradePolicy.supportType: with STANDARD, EKS upgrades the control plane itself at end of standard support. */
    supportType: "STANDARD" | "EXTENDED";
    /** The stack's explicit acceptance of extended-support pricing. */
    acceptExtendedSupport: boolean;
    /** Defaults to the table's as-of date. */
    asOf?: IsoDate;
}

export interface SupportFinding {
    severity: "error" | "warning";
    pathParts: readonly string[];
    rule: string;
}

function nextMinor(minor: KubernetesMinor): string {
    return KUBERNETES_MINORS[KUBERNETES_MINORS.indexOf(minor) + 1] ?? "a newer minor";
}

/** The support rule for one stack: errors refuse the config, warnings are printed with the plan. */
export function supportFindings(input: SupportPolicyInput, table: VersionTable = VERSION_TABLE): SupportFinding[] {
    const asOf = input.asOf ?? table.asOf;
    const version = SUPPORT_SETTING_PATHS.kubernetesVersion;
    let status: SupportStatus;
    try {
        status = supportStatus(input.kubernetesVersion, asOf, table);
    } catch (e) {
        if (!(e instanceof UnknownKubernetesVersionError)) throw e;
        return [{ severity: "error", pathParts: version, rule: e.message }];
    }
    const k = status.kubernetes;
    const next = nextMinor(k);
    const asOfNote = `(version table as of ${asOf})`;
    const price = `$${CLUSTER_HOUR_PRICE_USD.extended.toFixed(2)} instead of $${CLUSTER_HOUR_PRICE_USD.standard.toFixed(2)} per cluster-hour`;
    switch (status.phase) {
        case "unreleased":
            return [
                {
                    severity: "error",
                    pathParts: version,
                    rule: `Kubernetes ${k} is not released on EKS until ${status.eksRelease} ${asOfNote}`,
                },
            ];
        case "unsupported":
            return [
                {
                    severity: "error",
                    pathParts: version,
                    rule:
                        `Kubernetes ${k} left EKS extended support on ${status.endOfExtendedSupport} ${asOfNote}: EKS creates no cluster on it ` +
                        `and upgrades existing control planes itself; upgrade to ${next}`,
                },
            ];
        case "standard": {
            const days = status.daysToNextPhase ?? 0;
            if (days > STANDARD_SUPPORT_NOTICE_DAYS) return [];
            return [
                {
                    severity: "warning",
                    pathParts: version,
                    rule: `Kubernetes ${k} leaves EKS standard support on ${status.endOfStandardSupport}, in ${days} days ${asOfNote}: plan the upgrade to ${next}`,
                },
            ];
        }
        case "extended": {
            const since = `Kubernetes ${k} left EKS standard support on ${status.endOfStandardSupport} ${asOfNote}`;
            const accepted = input.acceptExtendedSupport && input.supportType === "EXTENDED";
            if (input.environment === "prod" && !accepted) {
                if (input.acceptExtendedSupport) {
                    return [
                        {
                            severity: "error",
                            pathParts: SUPPORT_SETTING_PATHS.supportType,
                            rule: `must be EXTENDED to accept extended support: ${since}, and with STANDARD EKS upgrades the control plane itself`,
                        },
                    ];
                }
                return [
                    {
                        severity: "error",
                        pathParts: version,
                        rule:
                            `${since}: upgrade to ${next}, or accept extended support (${price}, until ${status.endOfExtendedSupport}) ` +
                            `with acceptExtendedSupport: true and upgradePolicy.supportType EXTENDED`,
                    },
                ];
            }
            const consequence =
                input.supportType === "STANDARD"
                    ? "with upgradePolicy.supportType STANDARD, EKS upgrades the control plane itself"
                    : `extended support costs ${price} until ${status.endOfExtendedSupport}`;
            return [{ severity: "warning", pathParts: version, rule: `${since}: ${consequence}; upgrade to ${next}` }];
        }
    }
}
