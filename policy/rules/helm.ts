// Helm release rules: every chart pinned to an exact version and fetched over TLS.
import { at, describe, isUnknown, resourceRule, type EnforcementLevel, type ResourceValidationPolicy } from "./lib";

const RELEASE_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart"] as const;
const EXACT = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const helmVersionPinned = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "helm-release-version-pinned",
            description: describe(
                "Every Helm release names an exact chart version (no range, no latest), so a preview shows every upgrade.",
                "EKS Best Practices Guide, Cluster Upgrades: pin and upgrade add-ons deliberately; Helm docs: --version (latest when omitted)",
            ),
            types: RELEASE_TYPES,
            validate: (props, _args, report) => {
                const version = props.version;
                if (isUnknown(version)) return;
                if (typeof version !== "string" || !EXACT.test(version))
                    report(`chart ${String(props.chart)} is not pinned to an exact version (version: ${JSON.stringify(version ?? null)})`);
            },
        },
        level,
    );

export const helmRepositoryTls = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "helm-repository-tls",
            description: describe(
                "Charts come from https:// or oci:// repositories, never plain http.",
                "EKS Best Practices Guide, Security (Image security / supply chain): use trusted registries over TLS",
            ),
            types: RELEASE_TYPES,
            validate: (props, _args, report) => {
                const repo = at(props, "repositoryOpts.repo");
                const chart = props.chart;
                for (const url of [repo, chart]) {
                    if (typeof url === "string" && !isUnknown(url) && /^http:\/\//i.test(url)) report(`chart source ${url} is plain http`);
                }
            },
        },
        level,
    );

/** A chart its project has retired: no releases, no security fixes. The pack owns this list. */
export interface RetiredChart {
    /** The chart's name (the last segment of `chart`, however the source is written). */
    chart: string;
    retiredOn: string;
    /** What to run instead. */
    successor: string;
    source: string;
}

export const RETIRED_CHARTS: readonly RetiredChart[] = [
    {
        chart: "ingress-nginx",
        retiredOn: "2026-03-24",
        successor: "Gateway API through the AWS Load Balancer Controller (eks-platform:ingress.gateways)",
        source: 'Kubernetes SIG Network, "Ingress NGINX Retirement" (kubernetes.io blog 2025-11-11; kubernetes/ingress-nginx README): no releases, bug or security fixes after March 2026',
    },
];

/** The chart name of a release's `chart` input: "ingress-nginx", "repo/ingress-nginx" or "oci://host/path/ingress-nginx". */
export const chartName = (chart: string): string => chart.replace(/\/+$/, "").split("/").pop() ?? chart;

export const helmChartNotRetired = (level: EnforcementLevel): ResourceValidationPolicy =>
    resourceRule(
        {
            name: "helm-chart-not-retired",
            description: describe(
                `No Helm release installs a chart its project has retired (the pack's list: ${RETIRED_CHARTS.map((c) => c.chart).join(", ")}): it gets no security fixes.`,
                RETIRED_CHARTS.map((c) => c.source).join("; "),
            ),
            types: RELEASE_TYPES,
            validate: (props, _args, report) => {
                const chart = props.chart;
                if (typeof chart !== "string" || isUnknown(chart)) return;
                const retired = RETIRED_CHARTS.find((c) => c.chart === chartName(chart));
                if (!retired) return;
                const version = typeof props.version === "string" && !isUnknown(props.version) ? ` ${props.version}` : "";
                report(
                    `chart ${chart}${version} was retired on ${retired.retiredOn} (no releases, no security fixes): use ${retired.successor}`,
                );
            },
        },
        level,
    );
