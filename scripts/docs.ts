// `npm run docs [-- --check]`: writes docs/settings.md, the settings reference rendered from the config contract;
// --check only compares (exit 1 when the file is stale).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "./lib/args";
import { renderSettingsReference } from "./lib/settings-doc";

export async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv, { strings: ["out"], booleans: ["check", "help"] });
    if (args.help) {
        console.log("usage: npm run docs [-- --check] [--out FILE]");
        return 0;
    }
    // The bundle runs from .cache/: resolve the repository from the working directory npm gives it.
    const file = args.out ?? path.resolve(process.cwd(), "docs", "settings.md");
    const text = renderSettingsReference();
    if (args.check) {
        const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        if (current === text) return 0;
        console.error(`${path.relative(process.cwd(), file)} is stale: run \`npm run docs\``);
        return 1;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
    return 0;
}
