// `npm run versions -- --region <region> --kubernetes <minor> [--architecture arm64|amd64]`: reads, with the default
// AWS credential chain, what EKS offers for one Kubernetes minor (DescribeClusterVersions for its support dates,
// DescribeAddonVersions for each add-on the platform pins, the EKS AL2023 AMI's public SSM parameters) and prints the
// version-table entry as TypeScript to paste into stacks/versions/table.ts, dated today and verified.
import { EKSClient, paginateDescribeAddonVersions, paginateDescribeClusterVersions } from "@aws-sdk/client-eks";
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import {
    ADDON_NAMES,
    VERSION_TABLE,
    entryProblems,
    isKubernetesMinor,
    type AddonName,
    type PinnedAddon,
    type SupportCalendar,
} from "../stacks/versions";
import type { MinorVersionsDraft, NodeAmiRelease } from "../stacks/versions/model";
import { chooseAddonVersion, type ListedAddonVersion } from "../stacks/versions/addon-version";
import { renderMinorEntry } from "../stacks/versions/render";
import { commandArgs } from "./lib/args";

const USAGE = "usage: npm run versions -- --region <region> --kubernetes <minor, e.g. 1.35> [--architecture arm64|amd64]";

/** EKS and SSM name the two architectures differently. */
const SSM_ARCHITECTURE = { arm64: "arm64", amd64: "x86_64" } as const;
type Architecture = keyof typeof SSM_ARCHITECTURE;

/** The public parameters of the EKS-optimized AL2023 AMIs (user guide, "Retrieve recommended Amazon Linux AMI IDs"). */
export function amiParameterNames(minor: string, architecture: Architecture): { releaseVersion: string; imageId: string } {
    const base = `/aws/service/eks/optimized-ami/${minor}/amazon-linux-2023/${SSM_ARCHITECTURE[architecture]}/standard/recommended`;
    return { releaseVersion: `${base}/release_version`, imageId: `${base}/image_id` };
}

export interface VersionsCommandDeps {
    eks?: EKSClient;
    ssm?: SSMClient;
    /** Today's date (YYYY-MM-DD), the asOf of what is read. */
    today?: () => string;
    out?: (line: string) => void;
    err?: (line: string) => void;
}

/** A failure worth one line, not a stack trace. */
class VersionsError extends Error {}

/** The SDK's error names for missing, expired or rejected credentials. */
const CREDENTIAL_ERRORS = new Set([
    "CredentialsProviderError",
    "ExpiredToken",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
]);

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

async function readSupportCalendar(eks: EKSClient, minor: string, region: string, today: string): Promise<SupportCalendar> {
    const listed: string[] = [];
    for await (const page of paginateDescribeClusterVersions({ client: eks }, { clusterType: "eks", includeAll: true })) {
        for (const v of page.clusterVersions ?? []) {
            if (v.clusterVersion) listed.push(v.clusterVersion);
            if (v.clusterVersion !== minor) continue;
            if (!v.releaseDate || !v.endOfStandardSupportDate || !v.endOfExtendedSupportDate)
                throw new VersionsError(`EKS lists Kubernetes ${minor} in ${region} without its support dates`);
            // The API's instants are midnight UTC of the calendar's days (e.g. 2025-11-25T16:00:00-08:00 is November 26).
            const upstreamRelease = isKubernetesMinor(minor) ? VERSION_TABLE.minors[minor].support.upstreamRelease : undefined;
            return {
                ...(upstreamRelease ? { upstreamRelease } : {}),
                eksRelease: utcDay(v.releaseDate),
                endOfStandardSupport: utcDay(v.endOfStandardSupportDate),
                endOfExtendedSupport: utcDay(v.endOfExtendedSupportDate),
                source: `EKS DescribeClusterVersions (clusterType eks, ${region})`,
                asOf: today,
                verified: true,
                ...(upstreamRelease ? { note: "upstreamRelease kept from the table: the API does not return it" } : {}),
            };
        }
    }
    const known = [...new Set(listed)].sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
    throw new VersionsError(
        `Kubernetes ${minor} is not an EKS version in ${region} (DescribeClusterVersions lists ${known.join(", ") || "none"})`,
    );
}

async function readAddon(eks: EKSClient, name: AddonName, minor: string, architecture: Architecture, region: string, today: string) {
    const listed: ListedAddonVersion[] = [];
    for await (const page of paginateDescribeAddonVersions({ client: eks }, { addonName: name, kubernetesVersion: minor })) {
        for (const addon of page.addons ?? []) if (addon.addonName === name) listed.push(...(addon.addonVersions ?? []));
    }
    const choice = chooseAddonVersion(listed, minor, architecture);
    if (!choice) return undefined;
    const note =
        choice.default === undefined
            ? "EKS marks no default build"
            : choice.default === choice.newest
              ? "also EKS's default build"
              : `newest of ${choice.compatibleCount} compatible builds; EKS's default is ${choice.default}`;
    const pinned: PinnedAddon = {
        version: choice.newest,
        source: `EKS DescribeAddonVersions (addonName ${name}, kubernetesVersion ${minor}, ${architecture}, ${region})`,
        asOf: today,
        verified: true,
        note,
    };
    return pinned;
}

async function readAmi(ssm: SSMClient, minor: string, architecture: Architecture, region: string, today: string): Promise<NodeAmiRelease> {
    const names = amiParameterNames(minor, architecture);
    const res = await ssm.send(new GetParametersCommand({ Names: [names.releaseVersion, names.imageId] }));
    if (res.InvalidParameters?.length)
        throw new VersionsError(
            `SSM has no public parameter ${res.InvalidParameters.join(", ")} in ${region}: EKS publishes no AL2023 AMI for ${minor} there`,
        );
    const value = (name: string) => res.Parameters?.find((p) => p.Name === name)?.Value;
    const releaseVersion = value(names.releaseVersion);
    const day = releaseVersion ? new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+-(\\d{8})$`).exec(releaseVersion)?.[1] : undefined;
    if (!releaseVersion || !day)
        throw new VersionsError(`SSM ${names.releaseVersion} in ${region} is ${releaseVersion ?? "empty"}, not ${minor}.<patch>-YYYYMMDD`);
    return {
        release: `v${day}`,
        releaseVersion,
        karpenterAlias: `al2023@v${day}`,
        source: `SSM ${names.releaseVersion.replace(/release_version$/, "{release_version,image_id}")} (${region})`,
        asOf: today,
        verified: true,
        note: `image_id ${value(names.imageId) ?? "not returned"} in ${region} (${architecture})`,
    };
}

function describeFailure(e: unknown): string {
    if (e instanceof VersionsError) return `error: ${e.message}`;
    const name = e instanceof Error ? e.name : "Error";
    const message = e instanceof Error ? e.message : String(e);
    if (CREDENTIAL_ERRORS.has(name))
        return `error: no usable AWS credentials (${name}: ${message}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run aws sso login`;
    return `error: ${name}: ${message}`;
}

/** Runs the command; resolves with the exit code (0 printed, 1 AWS or entry problem, 2 usage). */
export async function main(argv: readonly string[], deps: VersionsCommandDeps = {}): Promise<number> {
    const out = deps.out ?? ((line: string) => console.log(line));
    const err = deps.err ?? ((line: string) => console.error(line));
    const args = commandArgs(argv, { strings: ["region", "kubernetes", "architecture"], booleans: [] }, USAGE, { out, err });
    if (typeof args === "number") return args;
    const { region, kubernetes: minor } = args;
    const architecture = args.architecture ?? "arm64";
    if (!region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
        err(`--region must be an AWS region such as eu-west-1${region ? `, got ${region}` : ""}\n${USAGE}`);
        return 2;
    }
    if (!minor || !/^1\.\d+$/.test(minor)) {
        err(`--kubernetes must be a Kubernetes minor such as 1.35${minor ? `, got ${minor}` : ""}\n${USAGE}`);
        return 2;
    }
    if (architecture !== "arm64" && architecture !== "amd64") {
        err(`--architecture must be arm64 or amd64, got ${architecture}\n${USAGE}`);
        return 2;
    }

    const today = (deps.today ?? (() => utcDay(new Date())))();
    const eks = deps.eks ?? new EKSClient({ region });
    const ssm = deps.ssm ?? new SSMClient({ region });
    let entry: MinorVersionsDraft;
    try {
        const support = await readSupportCalendar(eks, minor, region, today);
        const pinned = await Promise.all(ADDON_NAMES.map((name) => readAddon(eks, name, minor, architecture, region, today)));
        const ami = await readAmi(ssm, minor, architecture, region, today);
        const addons: MinorVersionsDraft["addons"] = {};
        ADDON_NAMES.forEach((name, i) => {
            const p = pinned[i];
            if (p) addons[name] = p;
        });
        entry = { kubernetes: minor, support, ami, addons };
    } catch (e) {
        err(describeFailure(e));
        return 1;
    }

    const missing = ADDON_NAMES.filter((name) => entry.addons[name] === undefined);
    const comments = [
        `npm run versions -- --region ${region} --kubernetes ${minor} --architecture ${architecture} (read ${today})`,
        ...missing.map((name) => `${name}: EKS lists no build compatible with ${minor} (${architecture}) in ${region}`),
        ...(isKubernetesMinor(minor) ? [] : [`${minor} is new to the table: add it to KUBERNETES_MINORS in stacks/versions/model.ts`]),
    ];
    out(renderMinorEntry(entry, comments));
    for (const name of missing)
        err(`warning: ${name} has no build for Kubernetes ${minor} (${architecture}) in ${region}: the entry leaves it out`);
    const problems = entryProblems(minor, entry).filter((p) => !p.endsWith(": missing"));
    for (const p of problems) err(`problem: ${p}`);
    return problems.length === 0 ? 0 : 1;
}
