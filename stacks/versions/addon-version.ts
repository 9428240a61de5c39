// EKS add-on versions (v<major>.<minor>.<patch>-eksbuild.<n>) ordered, and the choice `npm run versions` makes
// from what DescribeAddonVersions lists: the newest build compatible with the cluster version, and EKS's default.
import { ADDON_VERSION } from "./model";

/** The numeric parts of an add-on version, or undefined when it is not one. */
export function parseAddonVersion(version: string): [number, number, number, number] | undefined {
    const m = ADDON_VERSION.exec(version);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : undefined;
}

/** Orders add-on versions numerically (v1.10.0 after v1.9.3, eksbuild.12 after eksbuild.2); unparsable ones sort first. */
export function compareAddonVersions(a: string, b: string): number {
    const pa = parseAddonVersion(a);
    const pb = parseAddonVersion(b);
    if (!pa || !pb) return (pa ? 1 : 0) - (pb ? 1 : 0);
    for (let i = 0; i < 4; i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
}

/** What DescribeAddonVersions returns for one add-on, reduced to the fields the choice reads. */
export interface ListedAddonVersion {
    addonVersion?: string;
    architecture?: readonly string[];
    compatibilities?: readonly { clusterVersion?: string; defaultVersion?: boolean }[];
}

export interface AddonChoice {
    /** The newest build compatible with the cluster version (and the architecture, when one is asked for). */
    newest: string;
    /** The build EKS installs when none is named, when it lists one. */
    default?: string;
    /** How many compatible builds were listed. */
    compatibleCount: number;
}

/**
 * The newest listed build whose compatibilities include `clusterVersion`; `undefined` when none is. Versions that are
 * not add-on versions are ignored. With `architecture`, builds that list architectures must include it.
 */
export function chooseAddonVersion(
    listed: readonly ListedAddonVersion[],
    clusterVersion: string,
    architecture?: string,
): AddonChoice | undefined {
    const compatible = listed.filter(
        (v): v is ListedAddonVersion & { addonVersion: string } =>
            v.addonVersion !== undefined &&
            parseAddonVersion(v.addonVersion) !== undefined &&
            (v.compatibilities ?? []).some((c) => c.clusterVersion === clusterVersion) &&
            (architecture === undefined ||
                v.architecture === undefined ||
                v.architecture.length === 0 ||
                v.architecture.includes(architecture)),
    );
    if (compatible.length === 0) return undefined;
    const newest = compatible.reduce((a, b) => (compareAddonVersions(b.addonVersion, a.addonVersion) > 0 ? b : a)).addonVersion;
    const byDefault = compatible.find((v) =>
        (v.compatibilities ?? []).some((c) => c.clusterVersion === clusterVersion && c.defaultVersion === true),
    );
    return { newest, ...(byDefault ? { default: byDefault.addonVersion } : {}), compatibleCount: compatible.length };
}
