// The reference lock and its tool: the lock's rules, the download/copy/check logic against temporary directories
// (no network: the download source is a stand-in), the lookup helper the conformance tests use, and that the lock
// covers exactly the developers' copy in ../shared/reference with the same hashes when that copy exists.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
    checkReference,
    downloadSource,
    fileSha256,
    formatOutcomes,
    isDerived,
    isDownloadOnly,
    main,
    parseLock,
    parseRawUrl,
    readLock,
    sha256Hex,
    syncReference,
    type ReferenceLock,
} from "../../scripts/reference";
import { findReference, isCi, referenceSkipMessage, requireReference, SHARED_REFERENCE_DIR } from "../helpers/reference";

const bytes = (s: string) => new TextEncoder().encode(s);
const hash = (s: string) => sha256Hex(bytes(s));
const upstream = (p: string, content: string) => ({
    path: p,
    url: `https://raw.githubusercontent.com/o/r/v1.0.0/${p}`,
    commit: "a".repeat(40),
    sha256: hash(content),
});
const CONTENT: Record<string, string> = { "a/one.yaml": "one\n", "b/two.json": "{}\n", "a/derived.json": "derived\n" };
const LOCK: ReferenceLock = {
    files: [
        upstream("a/one.yaml", CONTENT["a/one.yaml"] as string),
        upstream("b/two.json", CONTENT["b/two.json"] as string),
        { path: "a/derived.json", sha256: hash(CONTENT["a/derived.json"] as string), derived: "rewritten from one.yaml" },
    ],
};
/** A download stand-in serving CONTENT (or `served` where given) and recording what was asked for. */
function fakeUpstream(served: Record<string, string> = {}) {
    const asked: string[] = [];
    const source = (entry: ReferenceLock["files"][number]) => {
        asked.push(entry.path);
        const text = served[entry.path] ?? CONTENT[entry.path];
        return text === undefined ? Promise.reject(new Error("HTTP 404")) : Promise.resolve(bytes(text));
    };
    return { asked, source };
}

let tmp: string;
beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "reference-"));
});
afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    vi.restoreAllMocks();
});
function writeTree(root: string, files: Record<string, string>) {
    for (const [p, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
        fs.writeFileSync(path.join(root, p), text);
    }
}

describe("parseLock", () => {
    it("accepts the project's lock: every upstream URL is raw.githubusercontent.com at a tag or commit", () => {
        const lock = readLock();
        expect(lock.files.length).toBeGreaterThan(0);
        for (const f of lock.files) if (!isDerived(f)) expect(parseRawUrl(f.url), f.path).toBeDefined();
    });

    it.each([
        [{ files: [{ ...upstream("../x", "x") }] }, 'files[0].path is "../x"'],
        [{ files: [{ ...upstream("/abs", "x"), path: "/abs" }] }, 'files[0].path is "/abs"'],
        [{ files: [{ ...upstream("x", "x"), sha256: "ABC" }] }, 'files[0].sha256 is "ABC": must be 64 lowercase hex digits'],
        [{ files: [{ ...upstream("x", "x"), url: "https://example.com/x" }] }, 'files[0].url is "https://example.com/x"'],
        [{ files: [{ ...upstream("x", "x"), commit: "v1" }] }, 'files[0].commit is "v1"'],
        [
            { files: [{ ...upstream("x", "x"), url: `https://raw.githubusercontent.com/o/r/${"b".repeat(40)}/x` }] },
            "must be the commit the URL names",
        ],
        [{ files: [upstream("x", "x"), upstream("x", "y")] }, 'files[1].path is "x": is listed twice'],
        [{ files: [upstream("x", "x"), upstream("x/y", "y")] }, 'files[0].path is "x": is also a folder'],
        [{ files: [{ path: "d", sha256: hash("d"), derived: "why", url: "u" }] }, 'files[0].url is "u": not a field'],
        [{ files: [{ ...upstream("x", "x"), downloadOnly: false }] }, "files[0].downloadOnly is false: must be true when present"],
        [{ files: "nope" }, "files is"],
    ])("refuses %j naming the key, the value and the rule", (doc, message) => {
        expect(() => parseLock(doc, "lock.json")).toThrow(message);
    });

    it("keeps the download-only flag, and only on an upstream entry", () => {
        const lock = parseLock({ files: [{ ...upstream("x", "x"), downloadOnly: true }, upstream("y", "y")] });
        expect(lock.files.map(isDownloadOnly)).toEqual([true, false]);
        expect(() => parseLock({ files: [{ path: "d", sha256: hash("d"), derived: "why", downloadOnly: true }] })).toThrow("downloadOnly");
        // The project's: the chart values of cert-manager, external-dns and the NVIDIA device plugin (issue 17).
        expect(
            readLock()
                .files.filter(isDownloadOnly)
                .map((f) => f.path),
        ).toEqual([
            "chart-values/cert-manager-v1.21.1.schema.json",
            "chart-values/cert-manager-v1.21.1.yaml",
            "chart-values/external-dns-1.21.1.schema.json",
            "chart-values/external-dns-1.21.1.yaml",
            "chart-values/nvidia-device-plugin-0.20.0.yaml",
        ]);
    });

    it("reads a URL's owner, repository, ref and path", () => {
        expect(parseRawUrl("https://raw.githubusercontent.com/aws/karpenter-provider-aws/v1.14.1/pkg/apis/crds/x.yaml")).toEqual({
            owner: "aws",
            repo: "karpenter-provider-aws",
            ref: "v1.14.1",
            path: "pkg/apis/crds/x.yaml",
        });
        expect(parseRawUrl("https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/x.yaml")).toBeUndefined();
    });
});

describe("syncReference", () => {
    it("writes the files whose hash matches and leaves derived ones out of a download", async () => {
        const { source } = fakeUpstream();
        const outcomes = await syncReference({ lock: LOCK, dest: tmp, source, includeDerived: false });
        expect(outcomes.map((o) => [o.path, o.status])).toEqual([
            ["a/one.yaml", "written"],
            ["b/two.json", "written"],
            ["a/derived.json", "not-downloadable"],
        ]);
        expect(fs.readFileSync(path.join(tmp, "a/one.yaml"), "utf8")).toBe("one\n");
        expect(fs.existsSync(path.join(tmp, "a/derived.json"))).toBe(false);
        expect(fs.readdirSync(path.join(tmp, "a"))).toEqual(["one.yaml"]);
    });

    it("refuses bytes that do not hash to the lock's value and removes a stale file of that name", async () => {
        writeTree(tmp, { "a/one.yaml": "stale\n" });
        const { source } = fakeUpstream({ "a/one.yaml": "tampered\n" });
        const outcomes = await syncReference({ lock: LOCK, dest: tmp, source, includeDerived: false });
        const one = outcomes.find((o) => o.path === "a/one.yaml");
        expect(one?.status).toBe("mismatch");
        expect(one?.detail).toContain("https://raw.githubusercontent.com/o/r/v1.0.0/a/one.yaml");
        expect(fs.existsSync(path.join(tmp, "a/one.yaml"))).toBe(false);
        expect(formatOutcomes(outcomes, "cache").split("\n")[0]).toMatch(
            /^reference: a\/one\.yaml: sha256 \w+… from .* is not the lock's \w+…: refused/,
        );
    });

    it("keeps a file already present with the right hash without fetching it again", async () => {
        writeTree(tmp, { "a/one.yaml": "one\n" });
        const { asked, source } = fakeUpstream();
        await syncReference({ lock: LOCK, dest: tmp, source, includeDerived: false });
        expect(asked).toEqual(["b/two.json"]);
    });

    it("reports a failed fetch as a problem naming the file, and removes a stale file of that name", async () => {
        writeTree(tmp, { "b/two.json": "stale\n" });
        const source = () => Promise.reject(new Error("HTTP 404 from https://raw.githubusercontent.com/o/r/v1.0.0/b/two.json"));
        const outcomes = await syncReference({ lock: { files: [LOCK.files[1]!] }, dest: tmp, source, includeDerived: false });
        expect(outcomes).toEqual([
            { path: "b/two.json", status: "failed", detail: expect.stringContaining("b/two.json: HTTP 404") as string },
        ]);
        expect(fs.existsSync(path.join(tmp, "b/two.json"))).toBe(false);
    });
});

describe("downloadSource", () => {
    const entry = upstream("a/one.yaml", "one\n");
    it("retries a 5xx once and returns the body", async () => {
        const statuses = [503, 200];
        const fetchStub = vi.fn(() => {
            const status = statuses.shift() ?? 500;
            return Promise.resolve(new Response(status === 200 ? "one\n" : "busy", { status }));
        });
        await expect(downloadSource(fetchStub as unknown as typeof fetch)(entry)).resolves.toEqual(bytes("one\n"));
        expect(fetchStub).toHaveBeenCalledWith(entry.url, expect.anything());
    });
    it("gives up on a 404 at once, naming the URL", async () => {
        const fetchStub = vi.fn(() => Promise.resolve(new Response("", { status: 404 })));
        await expect(downloadSource(fetchStub as unknown as typeof fetch)(entry)).rejects.toThrow(`HTTP 404 from ${entry.url}`);
        expect(fetchStub).toHaveBeenCalledTimes(1);
    });
    it("never fetches a derived file", async () => {
        await expect(downloadSource(vi.fn() as unknown as typeof fetch)(LOCK.files[2]!)).rejects.toThrow("derived");
    });
});

describe("main: --from and --check against temporary directories", () => {
    let lockFile: string;
    let from: string;
    let dest: string;
    beforeEach(() => {
        lockFile = path.join(tmp, "lock.json");
        fs.writeFileSync(lockFile, JSON.stringify(LOCK));
        from = path.join(tmp, "from");
        dest = path.join(tmp, "dest");
        writeTree(from, CONTENT);
        vi.spyOn(console, "log").mockImplementation(() => undefined);
        vi.spyOn(console, "error").mockImplementation(() => undefined);
    });
    const errors = () =>
        vi
            .mocked(console.error)
            .mock.calls.map((c) => String(c[0]))
            .join("\n");

    it("--from copies every file, derived ones too, and --check then passes", async () => {
        expect(await main(["--from", from, "--dir", dest, "--lock", lockFile])).toBe(0);
        for (const [p, text] of Object.entries(CONTENT)) expect(fileSha256(path.join(dest, p))).toBe(hash(text));
        expect(await main(["--check", "--dir", dest, "--lock", lockFile])).toBe(0);
    });

    it("--from refuses a local file whose hash differs, and does not write it", async () => {
        writeTree(from, { "b/two.json": "{ }\n" });
        expect(await main(["--from", from, "--dir", dest, "--lock", lockFile])).toBe(1);
        expect(errors()).toContain("reference: b/two.json: sha256");
        expect(fs.existsSync(path.join(dest, "b/two.json"))).toBe(false);
    });

    it("--check fails on a missing or altered file and names it, without touching the cache", async () => {
        writeTree(dest, { "a/one.yaml": "one, edited\n" });
        expect(await main(["--check", "--dir", dest, "--lock", lockFile])).toBe(1);
        expect(errors()).toMatch(/a\/one\.yaml: sha256 \w+… is not the lock's/);
        expect(errors()).toContain("b/two.json: missing");
        expect(errors()).not.toContain("a/derived.json: missing");
        expect(fs.readFileSync(path.join(dest, "a/one.yaml"), "utf8")).toBe("one, edited\n");
    });

    it("--check passes with only the derived file absent (it cannot be downloaded)", async () => {
        writeTree(dest, { "a/one.yaml": "one\n", "b/two.json": "{}\n" });
        expect(await main(["--check", "--dir", dest, "--lock", lockFile])).toBe(0);
    });

    it("refuses a bad lock with one line naming the key", async () => {
        fs.writeFileSync(lockFile, JSON.stringify({ files: [{ ...upstream("x", "x"), sha256: "nope" }] }));
        expect(await main(["--check", "--dir", dest, "--lock", lockFile])).toBe(1);
        expect(errors()).toMatch(/^reference: .*files\[0\]\.sha256 is "nope"/);
    });

    it("refuses --check with --from, and an unknown option", async () => {
        expect(await main(["--check", "--from", from])).toBe(2);
        expect(await main(["--offline"])).toBe(2);
    });
});

describe("requireReference and referenceFile", () => {
    const lookup = (ci: boolean) => ({ roots: [path.join(tmp, "shared"), path.join(tmp, "cache")], lock: LOCK, ci });

    it("prefer the developers' copy, then the cache", () => {
        writeTree(path.join(tmp, "cache"), { "a/one.yaml": "one\n", "b/two.json": "{}\n" });
        writeTree(path.join(tmp, "shared"), { "b/two.json": "{}\n" });
        expect(findReference("a/one.yaml", lookup(false))).toBe(path.join(tmp, "cache", "a/one.yaml"));
        expect(requireReference("b/two.json", lookup(true))).toBe(path.join(tmp, "shared", "b/two.json"));
    });

    it("return undefined off CI and throw in CI for a missing downloadable file", () => {
        expect(requireReference("a/one.yaml", lookup(false))).toBeUndefined();
        expect(() => requireReference("a/one.yaml", lookup(true))).toThrow(
            "reference a/one.yaml is missing in CI: run `npm run reference`",
        );
        expect(referenceSkipMessage("a/one.yaml", lookup(false))).toContain("npm run reference");
    });

    it("let a derived file skip even in CI, saying why", () => {
        expect(requireReference("a/derived.json", lookup(true))).toBeUndefined();
        expect(referenceSkipMessage("a/derived.json", lookup(true))).toContain("is derived (rewritten from one.yaml)");
    });

    it("let a download-only file (not in the developers' copy) skip in CI, saying how to get it", () => {
        const extra = { ...upstream("c/extra.yaml", "extra\n"), downloadOnly: true as const };
        const withExtra = { roots: lookup(true).roots, lock: { files: [...LOCK.files, extra] }, ci: true };
        expect(requireReference("c/extra.yaml", withExtra)).toBeUndefined();
        expect(referenceSkipMessage("c/extra.yaml", withExtra)).toContain(
            "not in ../shared/reference (download only): run `npm run reference`",
        );
        // The flag does not soften the rule for the other files.
        expect(() => requireReference("a/one.yaml", withExtra)).toThrow("missing in CI");
        writeTree(path.join(tmp, "cache"), { "c/extra.yaml": "extra\n" });
        expect(requireReference("c/extra.yaml", withExtra)).toBe(path.join(tmp, "cache", "c/extra.yaml"));
    });

    it("treat a folder as required when any file under it is downloadable", () => {
        expect(() => requireReference("a", lookup(true))).toThrow("missing in CI");
    });

    it("refuse a path the lock does not know", () => {
        expect(() => requireReference("a/typo.yaml", lookup(false))).toThrow("not in scripts/reference.lock.json");
    });

    it("read CI from the environment as CI runners set it", () => {
        expect(isCi({ CI: "true" })).toBe(true);
        expect(isCi({ CI: "1" })).toBe(true);
        expect(isCi({ CI: "false" })).toBe(false);
        expect(isCi({})).toBe(false);
    });
});

// The developers' copy is the source the lock was built from: the lock must list exactly its files (its README is
// the index, not a reference file) with their hashes, so the download gives the tests the same bytes.
const haveShared = fs.existsSync(SHARED_REFERENCE_DIR);
if (!haveShared) console.warn(`reference lock coverage: ${SHARED_REFERENCE_DIR} is absent, so the lock is not compared with it`);
describe.skipIf(!haveShared)("the lock against ../shared/reference", () => {
    function listFiles(dir: string, prefix = ""): string[] {
        return fs
            .readdirSync(dir, { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
    }
    it("lists exactly its files, with their sha256", () => {
        const lock = readLock();
        const files = listFiles(SHARED_REFERENCE_DIR)
            .filter((p) => p !== "README.md")
            .sort();
        const shared = { files: lock.files.filter((f) => !isDownloadOnly(f)) };
        expect(shared.files.map((f) => f.path).sort()).toEqual(files);
        // A download-only entry the copy holds after all should lose the flag.
        expect(lock.files.filter(isDownloadOnly).filter((f) => files.includes(f.path))).toEqual([]);
        const actual = checkReference(shared, SHARED_REFERENCE_DIR);
        expect(actual.filter((o) => o.status !== "present")).toEqual([]);
    });
});

describe("GitHub CI", () => {
    it("downloads the reference files before the tests, in the same job", () => {
        const ci = parseYaml(fs.readFileSync(path.resolve(__dirname, "../../.github/workflows/ci.yml"), "utf8")) as {
            jobs: Record<string, { steps: { run?: string }[] }>;
        };
        const job = Object.values(ci.jobs).find((j) => j.steps.some((s) => s.run?.includes("vitest run")));
        const runs = job?.steps.map((s) => s.run ?? "") ?? [];
        const reference = runs.findIndex((r) => /^npm run reference$/m.test(r));
        expect(reference).toBeGreaterThanOrEqual(0);
        expect(reference).toBeLessThan(runs.findIndex((r) => r.includes("vitest run")));
    });
});
