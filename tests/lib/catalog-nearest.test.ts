// Edit distance and "did you mean" ranking.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { editDistance, nearest } from "../../lib/catalog";

describe("editDistance", () => {
    it("counts insertions, deletions, substitutions and neighbour swaps as one edit each", () => {
        expect(editDistance("eu-west-1", "eu-west-1")).toBe(0);
        expect(editDistance("eu-wset-1", "eu-west-1")).toBe(1);
        expect(editDistance("m7g.large", "m7g.xlarge")).toBe(1);
        expect(editDistance("m7g.large", "m7i.large")).toBe(1);
        expect(editDistance("m7g.large", "m7g.lrge")).toBe(1);
        expect(editDistance("", "abc")).toBe(3);
        expect(editDistance("kitten", "sitting")).toBe(3);
    });

    it("is symmetric, zero only for equal strings, and at most the longer length", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
                const d = editDistance(a, b);
                expect(editDistance(b, a)).toBe(d);
                expect(d === 0).toBe(a === b);
                expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
                expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
            }),
        );
    });
});

describe("nearest", () => {
    it("ranks by distance, then shared prefix, then name, and drops far candidates", () => {
        const candidates = ["m7g.large", "m7g.xlarge", "m7gd.large", "c7g.large", "r7g.large", "x1e.32xlarge"];
        expect(nearest("m7g.lage", candidates)).toEqual(["m7g.large", "m7g.xlarge", "m7gd.large"]);
        expect(nearest("m7g.lage", candidates, 1)).toEqual(["m7g.large"]);
        expect(nearest("q", candidates)).toEqual([]);
        expect(nearest("m7g.large", candidates, 3, 1)).toEqual(["m7g.xlarge", "m7gd.large", "c7g.large"]);
    });

    it("never suggests the value itself", () => {
        expect(nearest("eu-west-1", ["eu-west-1", "eu-west-2"])).toEqual(["eu-west-2"]);
    });
});
