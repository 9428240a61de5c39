// Where a conformance test finds an upstream reference file: ../shared/reference beside the checkout (the
// developers' copy), else .cache/reference (what `npm run reference` downloads). In CI a missing file is an error,
// not a skip: a conformance test that silently skips there checks nothing. A derived file (no upstream source, see
// scripts/reference.lock.json) cannot be downloaded, so the tests that need it skip even in CI, saying why.
import * as fs from "node:fs";
import * as path from "node:path";
import { CACHE_DIR, isDerived, isDownloadOnly, readLock, type ReferenceLock } from "../../scripts/reference";

export const SHARED_REFERENCE_DIR = path.resolve(__dirname, "../../../shared/reference");
export const REFERENCE_CACHE_DIR = CACHE_DIR;

export interface ReferenceLookup {
    /** Searched in order. */
    roots: readonly string[];
    lock: ReferenceLock;
    ci: boolean;
}

/** CI sets CI=true (GitHub Actions, .ci/run); an empty value or "false" means a developer's machine. */
export const isCi = (env: NodeJS.ProcessEnv = process.env) => !!env.CI && env.CI !== "false" && env.CI !== "0";

let defaultLock: ReferenceLock | undefined;
const defaults = (): ReferenceLookup => ({
    roots: [SHARED_REFERENCE_DIR, REFERENCE_CACHE_DIR],
    lock: (defaultLock ??= readLock()),
    ci: isCi(),
});

/** The lock's entries a path names: the file itself, or every file under a folder. */
function entriesUnder(relPath: string, lock: ReferenceLock) {
    const dir = relPath.replace(/\/+$/, "");
    return lock.files.filter((f) => f.path === dir || f.path.startsWith(`${dir}/`));
}

/** The first root holding `relPath` (a file or a folder), or undefined. */
export function findReference(relPath: string, lookup: Pick<ReferenceLookup, "roots">): string | undefined {
    return lookup.roots.map((root) => path.join(root, relPath)).find((p) => fs.existsSync(p));
}

/** Why `relPath` is unavailable, naming the file and what provides it. */
export function referenceSkipMessage(relPath: string, lookup: Pick<ReferenceLookup, "lock"> = defaults()): string {
    const entries = entriesUnder(relPath, lookup.lock);
    const derived = entries.length > 0 && entries.every(isDerived);
    if (derived)
        return `reference ${relPath} is derived (${entries.map((e) => (isDerived(e) ? e.derived : "")).join("; ")}): only ../shared/reference or \`npm run reference -- --from DIR\` provides it, so this conformance check is skipped`;
    return entries.length > 0 && entries.every(isDownloadOnly)
        ? `reference ${relPath} is not in ../shared/reference (download only): run \`npm run reference\` to download it into .cache/reference; this conformance check is skipped`
        : `reference ${relPath} is in neither ../shared/reference nor .cache/reference: run \`npm run reference\` to download it; this conformance check is skipped`;
}

/** The path of an upstream reference file or folder, or undefined when neither place has it. */
export function referenceFile(relPath: string, lookup: Pick<ReferenceLookup, "roots"> = defaults()): string | undefined {
    return findReference(relPath, lookup);
}

/**
 * For a test that needs `relPath`: its path, or undefined (the caller skips with referenceSkipMessage). In CI a
 * downloadable file that is absent throws instead; so does a path the lock does not know (a typo would skip forever).
 */
export function requireReference(relPath: string, lookup: ReferenceLookup = defaults()): string | undefined {
    const entries = entriesUnder(relPath, lookup.lock);
    if (entries.length === 0) throw new Error(`reference ${relPath} is not in scripts/reference.lock.json`);
    const found = findReference(relPath, lookup);
    if (found) return found;
    // Derived and download-only files cannot be had without the developers' copy or the network: those skip in CI too.
    if (lookup.ci && !entries.every((e) => isDerived(e) || isDownloadOnly(e))) {
        throw new Error(
            `reference ${relPath} is missing in CI: run \`npm run reference\` before the tests (a conformance test must not skip in CI)`,
        );
    }
    return undefined;
}

/**
 * The conformance tests' lookup: the path of `relPath`, or undefined after a warning naming the file (the caller
 * skips). Throws in CI for a downloadable file that is absent and everywhere for a path the lock does not know.
 */
export function referencePath(relPath: string): string | undefined {
    const found = requireReference(relPath);
    if (!found) console.warn(referenceSkipMessage(relPath));
    return found;
}
