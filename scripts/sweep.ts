// `npm run sweep -- --stack <name> [--dry-run] [--timeout <seconds>] [--vpc-id <vpc>]`: runs the before-delete
// sweep by hand against a deployed stack's cluster, with the default AWS credential chain. The cluster name and
// region come from the stack's config; the VPC from --vpc-id or the cluster's tagged subnets. --dry-run only lists.
import { platformConfigFor } from "../plan";
import { DEFAULT_SWEEP_TIMEOUT_MS, SweepTimeoutError, discoverClusterVpc, sweepCluster, type SweepClients } from "../components/lib/sweep";
import type { Clock } from "../components/lib/sweep/retry";
import { commandArgs } from "./lib/args";

const USAGE = "usage: npm run sweep -- --stack <name> [--dry-run] [--timeout <seconds>] [--vpc-id <vpc-id>]";

export interface SweepCommandDeps {
    /** The stack's cluster name and region; by default from stacks/Pulumi.<stack>.yaml through the config contract. */
    loadConfig?: (stack: string) => { clusterName: string; region: string };
    clients?: Partial<SweepClients>;
    clock?: Clock;
    out?: (line: string) => void;
    err?: (line: string) => void;
}

/** Runs the command; resolves with the exit code (0 done, 1 failed or timed out, 2 usage). */
export async function main(argv: readonly string[], deps: SweepCommandDeps = {}): Promise<number> {
    const out = deps.out ?? ((line: string) => console.log(line));
    const err = deps.err ?? ((line: string) => console.error(line));
    const args = commandArgs(argv, { strings: ["stack", "timeout", "vpc-id"], booleans: ["dry-run"] }, USAGE, { out, err });
    if (typeof args === "number") return args;
    if (!args.stack) {
        err(`--stack is required\n${USAGE}`);
        return 2;
    }
    const timeoutSeconds = args.timeout === undefined ? DEFAULT_SWEEP_TIMEOUT_MS / 1000 : Number(args.timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) {
        err(`--timeout must be a whole number of seconds above 0, got ${args.timeout}\n${USAGE}`);
        return 2;
    }
    const dryRun = args["dry-run"] === true;

    try {
        const { clusterName, region } = (deps.loadConfig ?? ((stack: string) => platformConfigFor(stack)))(args.stack);
        let vpcId = args["vpc-id"];
        if (vpcId === undefined) {
            vpcId = await discoverClusterVpc(clusterName, region, deps.clients);
            out(
                vpcId
                    ? `[sweep ${clusterName}] VPC ${vpcId} (from its subnets' karpenter.sh/discovery tag)`
                    : `[sweep ${clusterName}] no subnet tagged karpenter.sh/discovery=${clusterName}: pass --vpc-id to sweep security groups and ENIs`,
            );
        }
        await sweepCluster({
            clusterName,
            region,
            ...(vpcId ? { vpcId } : {}),
            dryRun,
            timeoutMs: timeoutSeconds * 1000,
            log: out,
            ...(deps.clients ? { clients: deps.clients } : {}),
            ...(deps.clock ? { clock: deps.clock } : {}),
        });
        return 0;
    } catch (e) {
        if (e instanceof SweepTimeoutError) {
            err(e.message.replace("<stack>", args.stack));
        } else {
            err(`sweep failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
        }
        return 1;
    }
}
