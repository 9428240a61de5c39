// What moving a stack from one Kubernetes minor to the next changes in the pinned versions, from the version table
// (stacks/versions/table.ts), as the Markdown table UPGRADING.md shows (a test keeps its copy current).
import { ADDON_NAMES, VERSION_TABLE, versionsFor, type VersionTable } from "../stacks/versions";

/** The rows of one minor step: every pinned version that changes, the ones that stay, and the support dates. */
export function minorUpgradeTable(from: string, to: string, table: VersionTable = VERSION_TABLE): string {
    const a = versionsFor(from, table);
    const b = versionsFor(to, table);
    const rows = [`| | ${from} | ${to} |`, "|---|---|---|"];
    rows.push(`| node AMI release (managed node group \`releaseVersion\`) | \`${a.ami.releaseVersion}\` | \`${b.ami.releaseVersion}\` |`);
    rows.push(`| Karpenter \`amiSelectorTerms\` alias | \`${a.ami.karpenterAlias}\` | \`${b.ami.karpenterAlias}\` |`);
    const same: string[] = [];
    for (const name of ADDON_NAMES) {
        const x = a.addons[name].version;
        const y = b.addons[name].version;
        if (x === y) same.push(`${name} \`${x}\``);
        else rows.push(`| add-on ${name} | \`${x}\` | \`${y}\` |`);
    }
    rows.push(`| end of standard support | ${a.support.endOfStandardSupport} | ${b.support.endOfStandardSupport} |`);
    rows.push(`| end of extended support | ${a.support.endOfExtendedSupport} | ${b.support.endOfExtendedSupport} |`);
    return [...rows, "", `Unchanged builds: ${same.join(", ")}.`].join("\n");
}
