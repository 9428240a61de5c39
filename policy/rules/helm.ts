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
