// The catalogues the config schema and the plan's checks use: AWS regions and EC2 instance types, generated from
// pinned upstream data (sources.ts, `npm run catalog`). Free of Pulumi and of the program's modules, so both the
// program and its tools can import it; the parsers and renderers (upstream.ts, render.ts) are the generator's only.
export {
    architectureOf,
    familiesOf,
    instanceType,
    instanceTypeNames,
    isKnownFamily,
    isKnownInstanceType,
    suggestFamilies,
    suggestInstanceTypes,
    typesOfFamily,
    type InstanceType,
    type InstanceTypeNetworking,
} from "./instance-types";
export { maxPods, maxPodsCeiling, maxPodsFor, supportsPrefixDelegation, type MaxPodsOptions } from "./max-pods";
export { INSTANCE_CATEGORIES, type Architecture, type InstanceCategory } from "./naming";
export { editDistance, nearest } from "./nearest";
export {
    isKnownRegion,
    isZoneOfRegion,
    knownRegions,
    partitionOfRegion,
    region,
    regionOfZone,
    suggestRegions,
    type Region,
} from "./regions";
