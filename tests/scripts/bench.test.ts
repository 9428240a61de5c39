// The bench's generated stacks are valid prod stacks (a bench that plans a refused config measures nothing).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { platformConfigFor } from "../../plan/stack";
import { prodWithPools } from "../../scripts/bench";
import { configProblems } from "../helpers/config";

describe("npm run bench: prod with more node pools", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it.each([10, 50])("prod with %i pools parses, keeps prod's own pools (teams name them) and has that many", (count) => {
        const file = prodWithPools(count, dir);
        expect(configProblems({ stack: "prod", file })).toEqual([]);
        const names = platformConfigFor({ stack: "prod", file }).karpenter.nodePools.map((p) => p.name);
        const own = platformConfigFor("prod").karpenter.nodePools.map((p) => p.name);
        expect(names.slice(0, own.length)).toEqual(own);
        expect(names).toHaveLength(count);
        expect(new Set(names).size).toBe(count);
    });
});
