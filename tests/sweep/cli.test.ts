// `npm run sweep` (scripts/sweep.ts main()) against the fake AWS: the stack's config gives cluster and region, the
// tagged subnets give the VPC, --dry-run deletes nothing, --timeout bounds it, bad arguments exit 2.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../scripts/sweep";
import { platformConfigFor } from "../../plan";
import { EXPECTED_MUTATIONS, FakeAws, seedLeftovers } from "./fake";

const prod = platformConfigFor("prod");
let fake: FakeAws;
let out: string[];
let err: string[];
const deps = () => ({ clock: fake.clock, out: (l: string) => out.push(l), err: (l: string) => err.push(l) });

beforeEach(() => {
    fake = new FakeAws();
    seedLeftovers(fake, prod.clusterName, "vpc-mine");
    out = [];
    err = [];
});
afterEach(() => fake.restore());

describe("npm run sweep", () => {
    it("--dry-run reads the stack's cluster and region, finds its VPC and lists what it would delete, deleting nothing", async () => {
        expect(await main(["--stack", "prod", "--dry-run"], deps())).toBe(0);

        expect(fake.mutations).toEqual([]);
        expect(out[0]).toBe(`[sweep ${prod.clusterName}] VPC vpc-mine (from its subnets' karpenter.sh/discovery tag)`);
        expect(out[1]).toMatch(
            new RegExp(`sweeping what cluster ${prod.clusterName} left in ${prod.region} \\(VPC vpc-mine\\), time bound 900 s, DRY RUN`),
        );
        expect(out.some((l) => /would delete .*i-karpenter1/.test(l))).toBe(true);
        expect(out.at(-1)).toMatch(/would delete 2 load balancers, 2 target groups, 2 instances, 2 security groups, 1 network interfaces/);
        expect(err).toEqual([]);
    });

    it("without --dry-run sweeps in order", async () => {
        expect(await main(["--stack", "prod", "--vpc-id", "vpc-mine"], deps())).toBe(0);
        expect(fake.mutations).toEqual(EXPECTED_MUTATIONS);
    });

    it("exits 1 at its --timeout with the message naming the stack", async () => {
        for (const i of fake.instances) i.terminationMs = Number.POSITIVE_INFINITY;
        expect(await main(["--stack", "prod", "--timeout", "120"], deps())).toBe(1);
        expect(err.join("\n")).toMatch(
            /time bound of 120 s while waiting for instance to terminate.*npm run sweep -- --stack prod --timeout <seconds>/,
        );
    });

    it("exits 2 on bad arguments and 1 on an unknown stack", async () => {
        expect(await main([], deps())).toBe(2);
        expect(err.pop()).toMatch(/--stack is required/);
        expect(await main(["--stack", "prod", "--timeout", "soon"], deps())).toBe(2);
        expect(err.pop()).toMatch(/--timeout must be a whole number of seconds/);
        expect(await main(["--stack", "prod", "--force"], deps())).toBe(2);
        expect(err.pop()).toMatch(/unknown option --force/);
        expect(await main(["--stack", "nope", "--dry-run"], deps())).toBe(1);
        expect(err.pop()).toMatch(/no stack file .*Pulumi\.nope\.yaml/);
        expect(fake.mutations).toEqual([]);
    });
});
