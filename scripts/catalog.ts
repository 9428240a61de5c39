// Regenerates lib/catalog/*.generated.ts (EC2 instance types, AWS regions) from their pinned upstream files
// (lib/catalog/sources.ts). By default the two GitHub files are downloaded from their pinned raw URLs; offline, pass
// local copies (e.g. `git show <commit>:<path>` from a clone). The region data is read from the installed packages.
import * as fs from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { mergeInstanceTypes, regionRows, renderInstanceTypesModule, renderRegionsModule } from "../lib/catalog/render";
import { PACKAGE_SOURCES, rawUrl, SOURCES, type PinnedSource } from "../lib/catalog/sources";
import { parseKarpenterInstanceTypes, parseSdkPartitions, parseVpcCniLimits } from "../lib/catalog/upstream";
import { parseArgs } from "./lib/args";

const USAGE = `usage: npm run catalog -- [--vpc-cni-limits FILE] [--karpenter-instance-types FILE] [--out-dir DIR] [--check]
  --vpc-cni-limits FILE            ${SOURCES.vpcCniLimits.path} at ${SOURCES.vpcCniLimits.ref}
                                   (default: download ${rawUrl(SOURCES.vpcCniLimits)})
  --karpenter-instance-types FILE  ${SOURCES.karpenterInstanceTypes.path} at ${SOURCES.karpenterInstanceTypes.ref}
                                   (default: download ${rawUrl(SOURCES.karpenterInstanceTypes)})
  --out-dir DIR                    where the generated modules go (default: lib/catalog)
  --check                          write nothing; exit 1 if the committed modules differ from what the sources give`;

const root = path.resolve(__dirname, "..");

async function readSource(source: PinnedSource, file: string | undefined): Promise<string> {
    if (file) return fs.readFileSync(file, "utf8");
    const url = rawUrl(source);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText} (offline? pass a local copy, see --help)`);
    return response.text();
}

function packageFile(packageName: string, file: string): { text: string; version: string } {
    const manifest = require.resolve(`${packageName}/package.json`, { paths: [root] });
    const { version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string };
    return { text: fs.readFileSync(path.join(path.dirname(manifest), file), "utf8"), version };
}

async function format(file: string, text: string): Promise<string> {
    const options = (await prettier.resolveConfig(file)) ?? {};
    return prettier.format(text, { ...options, filepath: file });
}

export async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv, { strings: ["vpc-cni-limits", "karpenter-instance-types", "out-dir"], booleans: ["check", "help"] });
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    const outDir = path.resolve(args["out-dir"] ?? path.join(root, "lib", "catalog"));

    const limits = parseVpcCniLimits(await readSource(SOURCES.vpcCniLimits, args["vpc-cni-limits"]));
    const karpenter = parseKarpenterInstanceTypes(await readSource(SOURCES.karpenterInstanceTypes, args["karpenter-instance-types"]));
    const rows = mergeInstanceTypes(limits, karpenter);

    const sdk = packageFile(PACKAGE_SOURCES.sdkPartitions.packageName, PACKAGE_SOURCES.sdkPartitions.path);
    const pulumiAws = packageFile(PACKAGE_SOURCES.pulumiRegions.packageName, "package.json");
    // The enum module is plain data (no provider code runs when it is required).
    const { Region } = require(require.resolve("@pulumi/aws/types/enums", { paths: [root] })) as { Region: Record<string, string> };
    const regions = regionRows(parseSdkPartitions(sdk.text), Object.values(Region));

    const outputs = [
        { file: path.join(outDir, "instance-types.generated.ts"), text: renderInstanceTypesModule(rows, Object.values(SOURCES)) },
        {
            file: path.join(outDir, "regions.generated.ts"),
            text: renderRegionsModule(regions, { sdkCore: sdk.version, pulumiAws: pulumiAws.version }),
        },
    ];
    let stale = 0;
    for (const { file, text } of outputs) {
        const formatted = await format(file, text);
        const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
        const relative = path.relative(process.cwd(), file);
        if (current === formatted) {
            console.log(`${relative}: up to date`);
        } else if (args.check) {
            stale++;
            console.error(`${relative}: differs from what its sources give; run npm run catalog and review the diff`);
        } else {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, formatted);
            console.log(`${relative}: written`);
        }
    }
    const withSpec = rows.filter((r) => r.specSource === "karpenter").length;
    console.log(`catalog: ${rows.length} instance types (${withSpec} with vCPUs/memory), ${regions.length} regions`);
    return stale > 0 ? 1 : 0;
}
