// AWS regions, their partitions and availability-zone names, for the config schema.
import { REGION_TABLE } from "./regions.generated";
import { nearest } from "./nearest";

export interface Region {
    name: string;
    /** `aws`, `aws-cn`, `aws-us-gov`, `aws-eusc`, `aws-iso*`: decides ARNs (`arn:<partition>:...`) and service endpoints. */
    partition: string;
    description: string;
    /** False for regions the AWS SDK knows but @pulumi/aws's Region enum does not list yet. */
    inPulumiEnum: boolean;
}

let byName: Map<string, Region> | undefined;

function regions(): Map<string, Region> {
    byName ??= new Map(
        REGION_TABLE.map(([name, partition, description, inPulumiEnum]) => [name, { name, partition, description, inPulumiEnum }]),
    );
    return byName;
}

export function knownRegions(): Region[] {
    return [...regions().values()];
}

export function isKnownRegion(region: string): boolean {
    return regions().has(region);
}

export function region(name: string): Region | undefined {
    return regions().get(name);
}

/** The partition of a known region; undefined for an unknown one (no guessing from the name's shape). */
export function partitionOfRegion(region: string): string | undefined {
    return regions().get(region)?.partition;
}

export function suggestRegions(region: string, n = 3): string[] {
    return nearest(region, regions().keys(), n);
}

/**
 * Whether `zone` is an availability-zone name of `region`: the region's name plus one letter (eu-west-1a). Which
 * letters a region has, and which physical zone a letter maps to in a given account, only EC2's DescribeAvailabilityZones
 * can say; offline we can only check the shape. Local Zones and Wavelength Zones (us-west-2-lax-1a) and zone IDs
 * (euw1-az1) are not availability-zone names and are rejected.
 */
export function isZoneOfRegion(zone: string, region: string): boolean {
    return zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone);
}

/** The known region an availability-zone name belongs to, or undefined. */
export function regionOfZone(zone: string): string | undefined {
    const candidate = zone.slice(0, -1);
    return isKnownRegion(candidate) && isZoneOfRegion(zone, candidate) ? candidate : undefined;
}
