// Mistakes a user of the tools can fix (an unknown stack, a file that is missing or unreadable, a bad option): one
// line on stderr and exit 2, printed by scripts/run.mjs. Anything else that escapes a tool is a bug and keeps its stack.
import * as fs from "node:fs";
import * as path from "node:path";

export class CliError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CliError";
    }
}

/** Why a file could not be read, in words (Node's system errors carry a code and a long message). */
function reason(err: unknown): string {
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT") return "no such file";
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "EISDIR") return "is a directory, not a file";
    return err instanceof Error ? err.message : String(err);
}

/** The text of `file`; a CliError naming `what` (the option it came from) when it cannot be read. */
export function readTextFile(file: string, what: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new CliError(`${what} ${file}: ${reason(err)}`);
    }
}

/** `file` parsed as JSON; a CliError when it cannot be read or is not JSON. */
export function readJsonFile(file: string, what: string): unknown {
    const text = readTextFile(file, what);
    try {
        return JSON.parse(text) as unknown;
    } catch (err) {
        throw new CliError(`${what} ${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
}

/** Fails with a CliError unless `file` can be read. */
export function assertReadable(file: string, what: string): void {
    try {
        fs.accessSync(file, fs.constants.R_OK);
        if (fs.statSync(file).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    } catch (err) {
        throw new CliError(`${what} ${file}: ${reason(err)}`);
    }
}

/** Writes `file`; a CliError naming `what` when it cannot be written (a missing directory, no permission). */
export function writeTextFile(file: string, text: string, what: string): void {
    try {
        fs.writeFileSync(file, text);
    } catch (err) {
        throw new CliError(`${what} ${file}: cannot write (${reason(err)})`);
    }
}

/** Fails with a CliError unless `file` can be written (its directory exists and is writable): checked before the work. */
export function assertWritable(file: string, what: string): void {
    const dir = path.dirname(path.resolve(file));
    try {
        fs.accessSync(dir, fs.constants.W_OK);
    } catch (err) {
        throw new CliError(
            `${what} ${file}: cannot write (${(err as { code?: unknown }).code === "ENOENT" ? `no directory ${dir}` : reason(err)})`,
        );
    }
}
