import { CliError } from "./errors";

/** A small argv parser for the project's tools: `--name value`, `--name=value` and boolean `--flag`. */
export function parseArgs<S extends string, B extends string>(
    argv: readonly string[],
    spec: { strings: readonly S[]; booleans: readonly B[] },
): Partial<Record<S, string>> & Partial<Record<B, boolean>> & { _: string[] } {
    const out: Record<string, unknown> & { _: string[] } = { _: [] };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i] as string;
        if (!arg.startsWith("--")) {
            out._.push(arg);
            continue;
        }
        const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
        if ((spec.booleans as readonly string[]).includes(flag)) {
            out[flag] = inline === undefined ? true : inline !== "false";
        } else if ((spec.strings as readonly string[]).includes(flag)) {
            const value = inline ?? argv[++i];
            if (value === undefined || value.startsWith("--")) throw new CliError(`--${flag} needs a value`);
            out[flag] = value;
        } else {
            throw new CliError(`unknown option --${flag}`);
        }
    }
    return out as Partial<Record<S, string>> & Partial<Record<B, boolean>> & { _: string[] };
}

/**
 * parseArgs for a command with a usage text and a `--help` flag: the parsed options, or the exit code once it has
 * printed the usage (0 for --help; 2, after the problem, for a bad option).
 */
export function commandArgs<S extends string, B extends string>(
    argv: readonly string[],
    spec: { strings: readonly S[]; booleans: readonly B[] },
    usage: string,
    io: { out: (line: string) => void; err: (line: string) => void },
): (Partial<Record<S, string>> & Partial<Record<B, boolean>> & { _: string[] }) | number {
    let args: Partial<Record<S, string>> & Partial<Record<B | "help", boolean>> & { _: string[] };
    try {
        args = parseArgs(argv, { strings: spec.strings, booleans: [...spec.booleans, "help" as const] });
    } catch (e) {
        io.err(`${(e as Error).message}\n${usage}`);
        return 2;
    }
    if (args.help) {
        io.out(usage);
        return 0;
    }
    return args;
}
