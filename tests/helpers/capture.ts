// Runs a tool's main(argv) in this process and captures what it prints, for tests of the commands that need no
// program run of their own (the program runs once per process).
import { vi } from "vitest";

export interface CommandResult {
    status: number;
    stdout: string;
    stderr: string;
}

export async function runMain(main: (argv: string[]) => Promise<number>, args: string[]): Promise<CommandResult> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void stdout.push(`${a.join(" ")}\n`));
    const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void stderr.push(`${a.join(" ")}\n`));
    try {
        const status = await main(args);
        return { status, stdout: stdout.join(""), stderr: stderr.join("") };
    } finally {
        log.mockRestore();
        error.mockRestore();
    }
}
