// Regions, partitions and zone names; and the committed region table against the installed SDK and provider.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { isKnownRegion, isZoneOfRegion, knownRegions, partitionOfRegion, region, regionOfZone, suggestRegions } from "../../lib/catalog";
import { regionRows } from "../../lib/catalog/render";
import { REGION_DATA_VERSIONS } from "../../lib/catalog/regions.generated";
import { PACKAGE_SOURCES } from "../../lib/catalog/sources";
import { parseSdkPartitions } from "../../lib/catalog/upstream";

describe("regions", () => {
    it("knows regions and suggests the intended one for a typo", () => {
        expect(isKnownRegion("eu-west-1")).toBe(true);
        expect(isKnownRegion("eu-wset-1")).toBe(false);
        expect(suggestRegions("eu-wset-1")[0]).toBe("eu-west-1");
        expect(suggestRegions("us-esat-2")[0]).toBe("us-east-2");
        expect(suggestRegions("nowhere")).toEqual([]);
    });

    it("gives each region its partition", () => {
        expect(partitionOfRegion("cn-north-1")).toBe("aws-cn");
        expect(partitionOfRegion("us-gov-west-1")).toBe("aws-us-gov");
        expect(partitionOfRegion("eusc-de-east-1")).toBe("aws-eusc");
        expect(partitionOfRegion("eu-west-1")).toBe("aws");
        expect(partitionOfRegion("eu-wset-1")).toBeUndefined();
        expect(region("eu-west-1")).toMatchObject({ description: "Europe (Ireland)", inPulumiEnum: true });
    });

    it("lists no SDK pseudo-region", () => {
        expect(knownRegions().map((r) => r.name)).not.toContain("aws-global");
        expect(knownRegions().every((r) => /^[a-z]+(-[a-z]+)+-\d+$/.test(r.name))).toBe(true);
    });

    it("checks the shape of availability-zone names, not which letters exist", () => {
        expect(isZoneOfRegion("eu-west-1a", "eu-west-1")).toBe(true);
        expect(isZoneOfRegion("eu-west-1z", "eu-west-1")).toBe(true);
        expect(isZoneOfRegion("eu-west-2a", "eu-west-1")).toBe(false);
        expect(isZoneOfRegion("eu-west-1", "eu-west-1")).toBe(false);
        expect(isZoneOfRegion("eu-west-1ab", "eu-west-1")).toBe(false);
        expect(isZoneOfRegion("eu-west-11", "eu-west-1")).toBe(false);
        expect(isZoneOfRegion("us-west-2-lax-1a", "us-west-2")).toBe(false);
        expect(regionOfZone("cn-north-1b")).toBe("cn-north-1");
        expect(regionOfZone("eu-wset-1a")).toBeUndefined();
    });
});

describe("the committed region table", () => {
    const root = path.resolve(__dirname, "../..");
    const manifest = (name: string): string => require.resolve(`${name}/package.json`, { paths: [root] });
    const version = (name: string): string => (JSON.parse(fs.readFileSync(manifest(name), "utf8")) as { version: string }).version;

    // Fails after a dependency bump that changes the data: run `npm run catalog`.
    it("is what the installed @aws-sdk/core and @pulumi/aws give", () => {
        const { packageName, path: file } = PACKAGE_SOURCES.sdkPartitions;
        const partitions = parseSdkPartitions(fs.readFileSync(path.join(path.dirname(manifest(packageName)), file), "utf8"));
        const { Region } = require(require.resolve("@pulumi/aws/types/enums", { paths: [root] })) as { Region: Record<string, string> };
        const expected = regionRows(partitions, Object.values(Region)).map(({ region: name, partition, description, inPulumiEnum }) => ({
            name,
            partition,
            description,
            inPulumiEnum,
        }));
        expect(knownRegions()).toEqual(expected);
        expect(REGION_DATA_VERSIONS).toEqual({ sdkCore: version("@aws-sdk/core"), pulumiAws: version("@pulumi/aws") });
    });
});
