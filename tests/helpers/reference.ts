// Where the conformance tests find the pinned upstream reference files: ../shared/reference beside the clone (our CI),
// else .cache/reference (what `npm run reference` downloads, checked by sha256). In CI a missing file fails the test
// run instead of skipping, so a conformance test can never pass by not running.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../plan/stack";

export const REFERENCE_ROOTS = [path.resolve(REPO_ROOT, "..", "shared", "reference"), path.join(REPO_ROOT, ".cache", "reference")];

/** The absolute path of a reference file or directory (relative to the reference root), or undefined when absent. */
export function referencePath(relative: string): string | undefined {
    for (const root of REFERENCE_ROOTS) {
        const candidate = path.join(root, relative);
        if (fs.existsSync(candidate)) return candidate;
    }
    if (process.env.CI) {
        throw new Error(
            `reference file ${relative} is missing from ${REFERENCE_ROOTS.join(" and ")}: run \`npm run reference\` (CI must not skip conformance tests)`,
        );
    }
    console.warn(`conformance: ${relative} is absent (no ../shared/reference, no .cache/reference): its checks are skipped`);
    return undefined;
}
