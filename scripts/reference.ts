// The upstream reference files the conformance tests compare against (CRDs, IAM policies, chart values at pinned
// versions), fetched into .cache/reference so a plain clone and GitHub CI run those tests instead of skipping them.
// scripts/reference.lock.json names each file's raw URL at a tag or commit and its sha256; nothing of theirs is
// committed here. A file is kept only when its bytes hash to the lock's value, so a moved tag or a tampered
// download fails loudly instead of silently changing what the tests check.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "./lib/args";

// The bundle runs from .cache/ and the source from scripts/: the repository root is one level up from both.
const REPO_ROOT = path.resolve(__dirname, "..");
export const LOCK_FILE = path.join(REPO_ROOT, "scripts", "reference.lock.json");
export const CACHE_DIR = path.join(REPO_ROOT, ".cache", "reference");

const USAGE = `usage: npm run reference -- [--check] [--from DIR] [--dir DIR] [--lock FILE]
  (no option)      download every upstream file of the lock into the cache, checking each sha256
  --check          verify the cache against the lock without downloading (exit 1 on a missing or wrong file)
  --from DIR       copy the files from a local directory (e.g. ../shared/reference) instead, derived ones too
  --dir DIR        the cache directory (default .cache/reference)
  --lock FILE      the lock file (default scripts/reference.lock.json)`;

/** A file fetched from its upstream repository at a pinned tag or commit. */
export interface UpstreamEntry {
    path: string;
    url: string;
    /** The commit the URL's tag resolved to when the entry was checked (a tag can move; the sha256 catches it). */
    commit: string;
    sha256: string;
    note?: string;
    /**
     * Not in the developers' copy (../shared/reference): only `npm run reference` provides it, so where nothing can be
     * downloaded (the offline CI, .ci/run) the tests that need it skip, naming it, instead of failing.
     */
    downloadOnly?: true;
}
/** A file with no byte-identical upstream source (rewritten from one): never downloaded, only copied with --from. */
export interface DerivedEntry {
    path: string;
    sha256: string;
    derived: string;
}
export type ReferenceEntry = UpstreamEntry | DerivedEntry;
export interface ReferenceLock {
    files: ReferenceEntry[];
}

export const isDerived = (entry: ReferenceEntry): entry is DerivedEntry => "derived" in entry;
/** Whether the developers' copy lacks the entry by design (downloaded only). */
export const isDownloadOnly = (entry: ReferenceEntry): boolean => !isDerived(entry) && entry.downloadOnly === true;

export class LockError extends Error {}

export interface RawUrl {
    owner: string;
    repo: string;
    ref: string;
    path: string;
}

const RAW_URL = /^https:\/\/raw\.githubusercontent\.com\/([\w.-]+)\/([\w.-]+)\/([\w.-]+)\/([^?#]+)$/;
const SHA256 = /^[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** The parts of a raw.githubusercontent.com URL, or undefined when it is not one (a ref with a slash is refused too). */
export function parseRawUrl(url: string): RawUrl | undefined {
    const m = RAW_URL.exec(url);
    if (!m) return undefined;
    const [, owner, repo, ref, filePath] = m as unknown as [string, string, string, string, string];
    return { owner, repo, ref, path: filePath };
}

/** A path inside the reference tree: relative, POSIX, normalised, never leaving the tree. */
export function isSafeRelativePath(p: string): boolean {
    return (
        p.length > 0 &&
        !p.includes("\\") &&
        !path.posix.isAbsolute(p) &&
        path.posix.normalize(p) === p &&
        !p.startsWith("./") &&
        !p.split("/").includes("..")
    );
}

function fail(source: string, key: string, value: unknown, rule: string): never {
    throw new LockError(`${source}: ${key} is ${JSON.stringify(value)}: ${rule}`);
}

function checkKeys(source: string, key: string, entry: Record<string, unknown>, allowed: readonly string[]): void {
    for (const k of Object.keys(entry))
        if (!allowed.includes(k)) fail(source, `${key}.${k}`, entry[k], `not a field of this entry (${allowed.join(", ")})`);
}

function parseEntry(source: string, key: string, raw: unknown): ReferenceEntry {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(source, key, raw, "must be an object");
    const entry = raw as Record<string, unknown>;
    const str = (field: string): string => {
        const v = entry[field];
        if (typeof v !== "string" || v.length === 0) fail(source, `${key}.${field}`, v, "must be a non-empty string");
        return v;
    };
    const relPath = str("path");
    if (!isSafeRelativePath(relPath)) fail(source, `${key}.path`, relPath, "must be a normalised relative POSIX path inside the tree");
    const sha256 = str("sha256");
    if (!SHA256.test(sha256)) fail(source, `${key}.sha256`, sha256, "must be 64 lowercase hex digits");
    if ("derived" in entry) {
        checkKeys(source, key, entry, ["path", "sha256", "derived"]);
        return { path: relPath, sha256, derived: str("derived") };
    }
    checkKeys(source, key, entry, ["path", "url", "commit", "sha256", "note", "downloadOnly"]);
    if ("downloadOnly" in entry && entry.downloadOnly !== true)
        fail(source, `${key}.downloadOnly`, entry.downloadOnly, "must be true when present");
    const url = str("url");
    const parsed = parseRawUrl(url);
    if (!parsed) fail(source, `${key}.url`, url, "must be https://raw.githubusercontent.com/<owner>/<repo>/<tag-or-commit>/<path>");
    const commit = str("commit");
    if (!COMMIT.test(commit)) fail(source, `${key}.commit`, commit, "must be a full 40-digit commit hash");
    if (COMMIT.test(parsed.ref) && parsed.ref !== commit)
        fail(source, `${key}.commit`, commit, `must be the commit the URL names (${parsed.ref})`);
    const note = entry.note;
    if (note !== undefined && typeof note !== "string") fail(source, `${key}.note`, note, "must be a string");
    return {
        path: relPath,
        url,
        commit,
        sha256,
        ...(note === undefined ? {} : { note }),
        ...(entry.downloadOnly === true ? { downloadOnly: true as const } : {}),
    };
}

/** Validates a lock document; the error names the key path, the value and the rule. */
export function parseLock(doc: unknown, source = "reference lock"): ReferenceLock {
    if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { files?: unknown }).files))
        fail(source, "files", (doc as { files?: unknown } | null)?.files, "must be a list of entries");
    const files = (doc as { files: unknown[] }).files.map((raw, i) => parseEntry(source, `files[${i}]`, raw));
    const seen = new Set<string>();
    files.forEach((f, i) => {
        if (seen.has(f.path)) fail(source, `files[${i}].path`, f.path, "is listed twice");
        seen.add(f.path);
        // A file and a folder of the same name cannot both live in the tree.
        if (files.some((g) => g.path.startsWith(`${f.path}/`)))
            fail(source, `files[${i}].path`, f.path, "is also a folder of another entry");
    });
    return { files };
}

export function readLock(file = LOCK_FILE): ReferenceLock {
    return parseLock(JSON.parse(fs.readFileSync(file, "utf8")) as unknown, path.relative(process.cwd(), file) || file);
}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** The sha256 of the file at `file`, or undefined when there is none. */
export function fileSha256(file: string): string | undefined {
    return fs.existsSync(file) && fs.statSync(file).isFile() ? sha256Hex(fs.readFileSync(file)) : undefined;
}

/** Where the bytes of an entry come from: its upstream URL, or a local copy of the tree. */
export type Source = (entry: ReferenceEntry) => Promise<Uint8Array>;

/** An error's message with its cause (Node's fetch says only "fetch failed"; the cause says ENOTFOUND, ECONNRESET…). */
function errorText(err: unknown): string {
    if (!(err instanceof Error)) return String(err);
    const cause = err.cause instanceof Error ? err.cause.message : undefined;
    return cause && cause !== err.message ? `${err.message} (${cause})` : err.message;
}

/** Downloads an upstream entry (two attempts: a dropped connection or a 5xx from the CDN is common and transient). */
export function downloadSource(fetchImpl: typeof fetch = fetch, timeoutMs = 60_000): Source {
    return async (entry) => {
        if (isDerived(entry)) throw new Error("is derived: no upstream file has its bytes");
        let lastError = "";
        for (let attempt = 1; attempt <= 2; attempt++) {
            try {
                const res = await fetchImpl(entry.url, { signal: AbortSignal.timeout(timeoutMs) });
                if (res.ok) return new Uint8Array(await res.arrayBuffer());
                lastError = `HTTP ${res.status} from ${entry.url}`;
                if (res.status < 500) break;
            } catch (err) {
                lastError = `${errorText(err)} fetching ${entry.url}`;
            }
        }
        throw new Error(lastError);
    };
}

export function directorySource(dir: string): Source {
    return (entry) => {
        const file = path.join(dir, entry.path);
        if (!fs.existsSync(file)) return Promise.reject(new Error(`is not in ${dir}`));
        return Promise.resolve(new Uint8Array(fs.readFileSync(file)));
    };
}

export type Status = "present" | "written" | "mismatch" | "failed" | "missing" | "not-downloadable";
export interface Outcome {
    path: string;
    status: Status;
    /** For a problem: the one line that explains it. */
    detail?: string;
}

const short = (sha: string) => `${sha.slice(0, 12)}…`;
const origin = (entry: ReferenceEntry) => (isDerived(entry) ? "the local copy" : entry.url);

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of the results. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i] as T);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/**
 * Brings every entry into `dest`: a file already there with the lock's hash is kept, any other is fetched from
 * `source` and written only when its hash matches (a stale file with a wrong hash is removed whatever happens).
 * Derived entries are fetched only when `includeDerived` (a local copy has them; upstream does not).
 */
export async function syncReference(opts: {
    lock: ReferenceLock;
    dest: string;
    source: Source;
    includeDerived: boolean;
    concurrency?: number;
}): Promise<Outcome[]> {
    return mapLimit(opts.lock.files, opts.concurrency ?? 4, async (entry): Promise<Outcome> => {
        const target = path.join(opts.dest, entry.path);
        const existing = fileSha256(target);
        if (existing === entry.sha256) return { path: entry.path, status: "present" };
        if (isDerived(entry) && !opts.includeDerived) {
            return { path: entry.path, status: "not-downloadable", detail: `${entry.path}: derived, not downloaded (${entry.derived})` };
        }
        // A file of that name with another hash must not stay for the tests to read, whatever happens next.
        if (existing !== undefined) fs.rmSync(target);
        let bytes: Uint8Array;
        try {
            bytes = await opts.source(entry);
        } catch (err) {
            return { path: entry.path, status: "failed", detail: `${entry.path}: ${errorText(err)}` };
        }
        const got = sha256Hex(bytes);
        if (got !== entry.sha256) {
            return {
                path: entry.path,
                status: "mismatch",
                detail: `${entry.path}: sha256 ${short(got)} from ${origin(entry)} is not the lock's ${short(entry.sha256)}: refused, not kept`,
            };
        }
        fs.mkdirSync(path.dirname(target), { recursive: true });
        // Written beside the target and renamed, so an interrupted run never leaves a partial file under the right name.
        const partial = `${target}.part`;
        fs.writeFileSync(partial, bytes);
        fs.renameSync(partial, target);
        return { path: entry.path, status: "written" };
    });
}

/** Verifies `dest` against the lock without fetching anything. A derived file may be absent; nothing may be wrong. */
export function checkReference(lock: ReferenceLock, dest: string): Outcome[] {
    return lock.files.map((entry): Outcome => {
        const got = fileSha256(path.join(dest, entry.path));
        if (got === entry.sha256) return { path: entry.path, status: "present" };
        if (got === undefined) {
            return isDerived(entry)
                ? { path: entry.path, status: "not-downloadable", detail: `${entry.path}: derived, absent (${entry.derived})` }
                : { path: entry.path, status: "missing", detail: `${entry.path}: missing (npm run reference downloads it)` };
        }
        return {
            path: entry.path,
            status: "mismatch",
            detail: `${entry.path}: sha256 ${short(got)} is not the lock's ${short(entry.sha256)}`,
        };
    });
}

const PROBLEMS: readonly Status[] = ["mismatch", "failed", "missing"];
export const hasProblems = (outcomes: readonly Outcome[]) => outcomes.some((o) => PROBLEMS.includes(o.status));

/** The report: one line per problem, then one summary line. */
export function formatOutcomes(outcomes: readonly Outcome[], dest: string): string {
    const count = (s: Status) => outcomes.filter((o) => o.status === s).length;
    const lines = outcomes.filter((o) => PROBLEMS.includes(o.status)).map((o) => `reference: ${o.detail ?? o.path}`);
    const derived = outcomes.filter((o) => o.status === "not-downloadable").map((o) => o.path);
    const parts = [`${count("present") + count("written")} of ${outcomes.length} files in ${dest} as locked`];
    if (count("written") > 0) parts.push(`${count("written")} written`);
    for (const s of PROBLEMS) if (count(s) > 0) parts.push(`${count(s)} ${s}`);
    if (derived.length > 0) parts.push(`derived, not downloadable (the tests that need them skip): ${derived.join(", ")}`);
    lines.push(`reference: ${parts.join("; ")}`);
    return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
    let args;
    try {
        args = parseArgs(argv, { strings: ["from", "dir", "lock"], booleans: ["check", "help"] });
    } catch (err) {
        console.error(`error: ${(err as Error).message}\n${USAGE}`);
        return 2;
    }
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    if (args.check && args.from) {
        console.error(`error: --check verifies the cache and --from fills it: give one\n${USAGE}`);
        return 2;
    }
    let lock: ReferenceLock;
    try {
        lock = readLock(args.lock ? path.resolve(args.lock) : LOCK_FILE);
    } catch (err) {
        console.error(`reference: ${(err as Error).message}`);
        return 1;
    }
    const dest = args.dir ? path.resolve(args.dir) : CACHE_DIR;
    const shown = path.relative(process.cwd(), dest) || ".";
    if (args.from && !fs.existsSync(args.from)) {
        console.error(`reference: --from ${args.from}: no such directory`);
        return 1;
    }
    const outcomes = args.check
        ? checkReference(lock, dest)
        : await syncReference({
              lock,
              dest,
              source: args.from ? directorySource(path.resolve(args.from)) : downloadSource(),
              includeDerived: args.from !== undefined,
          });
    const report = formatOutcomes(outcomes, shown);
    if (hasProblems(outcomes)) console.error(report);
    else console.log(report);
    return hasProblems(outcomes) ? 1 : 0;
}
