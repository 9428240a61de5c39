// What makes one table entry coherent, as a list of problems: every add-on present with an EKS add-on version,
// kube-proxy built for the entry's minor, the AMI release spelled the same three ways, the calendar in order, and
// every fact with a source and a read date. The table's tests and `npm run versions` (on what it prints) use it.
import { ADDON_NAMES, ADDON_VERSION, AMI_RELEASE, ISO_DATE, type MinorVersionsDraft, type Provenance } from "./model";

function isCalendarDay(value: unknown): value is string {
    if (typeof value !== "string" || !ISO_DATE.test(value)) return false;
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function provenanceProblems(where: string, p: Provenance): string[] {
    const problems: string[] = [];
    if (typeof p.source !== "string" || p.source.trim() === "") problems.push(`${where}: has no source`);
    if (!isCalendarDay(p.asOf)) problems.push(`${where}: asOf must be a calendar day (YYYY-MM-DD), got ${String(p.asOf)}`);
    if (p.published !== undefined && !isCalendarDay(p.published))
        problems.push(`${where}: published must be a calendar day, got ${p.published}`);
    if (typeof p.verified !== "boolean") problems.push(`${where}: verified must be true or false`);
    if (p.verified === false && !(p.note ?? "").includes("npm run versions"))
        problems.push(`${where}: is unverified, so its note must say to refresh it with npm run versions`);
    return problems;
}

/** The problems of the entry under table key `minor`; empty when it is coherent. */
export function entryProblems(minor: string, entry: MinorVersionsDraft): string[] {
    const problems: string[] = [];
    if (entry.kubernetes !== minor) problems.push(`${minor}: kubernetes is ${entry.kubernetes}, not the table key`);

    for (const name of ADDON_NAMES) {
        const addon = entry.addons[name];
        const where = `${minor} ${name}`;
        if (addon === undefined) {
            problems.push(`${where}: missing`);
            continue;
        }
        if (!ADDON_VERSION.test(addon.version))
            problems.push(`${where}: ${addon.version} is not an EKS add-on version (v1.2.3-eksbuild.4)`);
        problems.push(...provenanceProblems(where, addon));
    }
    for (const name of Object.keys(entry.addons)) {
        if (!(ADDON_NAMES as readonly string[]).includes(name)) problems.push(`${minor} ${name}: not an add-on the platform pins`);
    }
    const proxy = entry.addons["kube-proxy"];
    if (proxy && !proxy.version.startsWith(`v${minor}.`))
        problems.push(`${minor} kube-proxy: ${proxy.version} is not built for Kubernetes ${minor}`);

    const { support } = entry;
    const dates = [support.upstreamRelease, support.eksRelease, support.endOfStandardSupport, support.endOfExtendedSupport];
    const named = ["upstreamRelease", "eksRelease", "endOfStandardSupport", "endOfExtendedSupport"];
    dates.forEach((d, i) => {
        if (d !== undefined && !isCalendarDay(d)) problems.push(`${minor} support.${named[i]}: ${d} is not a calendar day`);
    });
    const present = dates.filter((d): d is string => d !== undefined);
    if (!present.every((d, i) => i === 0 || d > (present[i - 1] ?? "")))
        problems.push(`${minor} support: dates out of order (${present.join(", ")})`);
    problems.push(...provenanceProblems(`${minor} support`, support));

    const { ami } = entry;
    const day = AMI_RELEASE.exec(ami.release)?.[1];
    if (!day) problems.push(`${minor} ami: release ${ami.release} is not vYYYYMMDD`);
    else {
        if (!new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+-${day}$`).test(ami.releaseVersion))
            problems.push(`${minor} ami: releaseVersion ${ami.releaseVersion} is not ${minor}.<patch>-${day}`);
        if (ami.karpenterAlias !== `al2023@${ami.release}`)
            problems.push(`${minor} ami: karpenterAlias ${ami.karpenterAlias} is not al2023@${ami.release}`);
    }
    problems.push(...provenanceProblems(`${minor} ami`, ami));
    return problems;
}
