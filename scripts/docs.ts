// `npm run docs [-- --check]`: writes the generated reference: docs/settings.md, rendered from the config contract,
// and the rule table of docs/policy.md, rendered from the policy pack and its per-environment configs; --check only
// compares (exit 1 when a file is stale).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "./lib/args";
import { withPolicyRules } from "./lib/policy-doc";
import { renderSettingsReference } from "./lib/settings-doc";

export async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv, { strings: ["dir"], booleans: ["check", "help"] });
    if (args.help) {
        console.log("usage: npm run docs [-- --check] [--dir DIR]   (DIR: where settings.md and policy.md are, default docs/)");
        return 0;
    }
    // The bundle runs from .cache/: resolve the repository from the working directory npm gives it.
    const dir = args.dir ?? path.resolve(process.cwd(), "docs");
    const read = (file: string): string => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
    const settings = path.join(dir, "settings.md");
    const policy = path.join(dir, "policy.md");
    const wanted: [string, string][] = [
        [settings, renderSettingsReference()],
        [policy, withPolicyRules(read(policy))],
    ];
    let stale = 0;
    for (const [file, text] of wanted) {
        const name = path.relative(process.cwd(), file);
        if (read(file) === text) continue;
        if (args.check) {
            console.error(`${name} is stale: run \`npm run docs\``);
            stale++;
            continue;
        }
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
        console.log(`wrote ${name}`);
    }
    return stale === 0 ? 0 : 1;
}
