// Every relative link of the repository's Markdown (README, docs/, UPGRADING, ARCHITECTURE, CHANGELOG, bootstrap)
// names a file that exists and, with a #fragment, a heading of that file (GitHub's anchor for it).
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../plan";

const DOCUMENTS = [
    "README.md",
    "UPGRADING.md",
    "ARCHITECTURE.md",
    "CHANGELOG.md",
    "bootstrap/README.md",
    ...fs.readdirSync(path.join(REPO_ROOT, "docs")).map((f) => `docs/${f}`),
].filter((f) => f.endsWith(".md") && fs.existsSync(path.join(REPO_ROOT, f)));

/** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
const anchorOf = (heading: string): string =>
    heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");

const withoutCode = (text: string): string => text.replace(/```[\s\S]*?```/g, "");

function anchors(file: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    for (const m of withoutCode(fs.readFileSync(file, "utf8")).matchAll(/^#+ (.+)$/gm)) {
        const base = anchorOf(m[1] ?? "");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.add(n === 0 ? base : `${base}-${n}`);
    }
    return out;
}

function brokenLinks(doc: string): string[] {
    const file = path.join(REPO_ROOT, doc);
    const broken: string[] = [];
    for (const m of withoutCode(fs.readFileSync(file, "utf8")).matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1] ?? "";
        if (/^[a-z]+:/i.test(link)) continue;
        const [target = "", fragment] = link.split("#");
        const resolved = target === "" ? file : path.resolve(path.dirname(file), target);
        if (!fs.existsSync(resolved)) broken.push(`${link}: no file ${path.relative(REPO_ROOT, resolved)}`);
        else if (fragment !== undefined && resolved.endsWith(".md") && !anchors(resolved).has(fragment))
            broken.push(`${link}: no heading #${fragment} in ${path.relative(REPO_ROOT, resolved)}`);
    }
    return broken;
}

describe("Markdown links", () => {
    it.each(DOCUMENTS)("%s: every relative link and anchor resolves", (doc) => {
        expect(brokenLinks(doc)).toEqual([]);
    });

    it("finds the documents and computes GitHub's anchors", () => {
        expect(DOCUMENTS).toEqual(expect.arrayContaining(["README.md", "docs/settings.md", "docs/policy.md"]));
        expect(anchorOf("Before your first `pulumi up`")).toBe("before-your-first-pulumi-up");
        expect(anchorOf("`eks-platform:teams`")).toBe("eks-platformteams");
        expect(anchorOf("Attaching an HTTPRoute (application teams)")).toBe("attaching-an-httproute-application-teams");
    });
});
