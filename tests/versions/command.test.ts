// `npm run versions` (scripts/versions.ts main()) against mocked EKS and SSM (aws-sdk-client-mock; no network):
// it follows pagination, picks the newest compatible build (numerically, for the asked architecture) and reports
// EKS's default, reads the AL2023 AMI's public SSM parameters, prints an entry that evaluates to a coherent table
// entry, and fails in one line without credentials or for a minor EKS does not have.
import * as vm from "node:vm";
import { DescribeAddonVersionsCommand, DescribeClusterVersionsCommand, EKSClient, type AddonVersionInfo } from "@aws-sdk/client-eks";
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { amiParameterNames, main } from "../../scripts/versions";
import { ADDON_NAMES, entryProblems, type MinorVersions } from "../../stacks/versions";

const eks = mockClient(EKSClient);
const ssm = mockClient(SSMClient);
let out: string[];
let err: string[];
const deps = () => ({ today: () => "2026-12-02", out: (l: string) => out.push(l), err: (l: string) => err.push(l) });

/** A build compatible with the given cluster versions; `def` marks EKS's default for the first of them. */
const build = (addonVersion: string, clusterVersions: string[], def = false, architecture = ["amd64", "arm64"]): AddonVersionInfo => ({
    addonVersion,
    architecture,
    compatibilities: clusterVersions.map((clusterVersion, i) => ({
        clusterVersion,
        platformVersions: ["*"],
        defaultVersion: def && i === 0,
    })),
});

/** Each request as it was sent (the SDK's paginators reuse one input object, so the mock's record shows the last page's). */
let sent: { cluster: Record<string, unknown>[]; addons: { addonName: string; kubernetesVersion: string; nextToken?: string }[] };

function mockEks(): void {
    // Two pages of cluster versions; the API's instants are midnight UTC of the calendar's days, in local offsets.
    eks.on(DescribeClusterVersionsCommand).callsFake((input: { nextToken?: string }) => {
        sent.cluster.push({ ...input });
        return input.nextToken === "page-2"
            ? {
                  clusterVersions: [
                      {
                          clusterVersion: "1.35",
                          releaseDate: new Date("2026-01-26T16:00:00-08:00"),
                          endOfStandardSupportDate: new Date("2027-03-26T17:00:00-07:00"),
                          endOfExtendedSupportDate: new Date("2028-03-26T17:00:00-07:00"),
                      },
                  ],
              }
            : { clusterVersions: [{ clusterVersion: "1.34" }], nextToken: "page-2" };
    });
    eks.on(DescribeAddonVersionsCommand).callsFake((input: { addonName: string; kubernetesVersion: string; nextToken?: string }) => {
        sent.addons.push({ ...input });
        const { addonName: name } = input;
        if (name === "vpc-cni") {
            // Page 1: EKS's default and an old build; page 2: the newest build for 1.35, one for 1.36 only, and one
            // for amd64 only (the command asks for arm64).
            return input.nextToken === "vpc-2"
                ? {
                      addons: [
                          {
                              addonName: name,
                              addonVersions: [
                                  build("v1.22.10-eksbuild.2", ["1.35", "1.34"]),
                                  build("v1.23.0-eksbuild.1", ["1.36"]),
                                  build("v1.22.11-eksbuild.1", ["1.35"], false, ["amd64"]),
                              ],
                          },
                      ],
                  }
                : {
                      addons: [
                          {
                              addonName: name,
                              addonVersions: [build("v1.22.4-eksbuild.3", ["1.35"], true), build("v1.22.9-eksbuild.12", ["1.35"])],
                          },
                      ],
                      nextToken: "vpc-2",
                  };
        }
        if (name === "external-dns") return { addons: [{ addonName: name, addonVersions: [build("v0.21.0-eksbuild.6", ["1.34"])] }] };
        const version = name === "kube-proxy" ? "v1.35.3-eksbuild.21" : "v1.0.0-eksbuild.1";
        return { addons: [{ addonName: name, addonVersions: [build(version, ["1.35"], true)] }] };
    });
}

function mockSsm(): void {
    ssm.on(GetParametersCommand).callsFake((input: { Names: string[] }) => ({
        Parameters: input.Names.map((Name) => ({
            Name,
            Value: Name.endsWith("release_version") ? "1.35.9-20261119" : "ami-0abc1234def567890",
        })),
        InvalidParameters: [],
    }));
}

/** The printed entry, evaluated as the object literal it is. */
function printedEntry(): MinorVersions {
    const text = out.join("\n");
    const parsed = vm.runInNewContext(`({${text}})`) as Record<string, MinorVersions>;
    const entry = parsed["1.35"];
    if (!entry) throw new Error(`no "1.35" entry printed:\n${text}`);
    return entry;
}

beforeEach(() => {
    eks.reset();
    ssm.reset();
    sent = { cluster: [], addons: [] };
    out = [];
    err = [];
});
afterEach(() => {
    eks.reset();
    ssm.reset();
});

describe("npm run versions", () => {
    it("prints the 1.35 entry as TypeScript: newest compatible builds, EKS's defaults noted, calendar and AMI from AWS", async () => {
        mockEks();
        mockSsm();
        expect(await main(["--region", "eu-west-1", "--kubernetes", "1.35"], deps())).toBe(0);

        const entry = printedEntry();
        expect(entry.kubernetes).toBe("1.35");
        expect(entry.support).toMatchObject({
            upstreamRelease: "2025-12-17",
            eksRelease: "2026-01-27",
            endOfStandardSupport: "2027-03-27",
            endOfExtendedSupport: "2028-03-27",
            asOf: "2026-12-02",
            verified: true,
        });
        expect(entry.addons["vpc-cni"]).toMatchObject({
            version: "v1.22.10-eksbuild.2",
            verified: true,
            asOf: "2026-12-02",
            note: "newest of 3 compatible builds; EKS's default is v1.22.4-eksbuild.3",
        });
        expect(entry.addons["kube-proxy"]).toMatchObject({ version: "v1.35.3-eksbuild.21", note: "also EKS's default build" });
        expect(entry.ami).toEqual({
            release: "v20261119",
            releaseVersion: "1.35.9-20261119",
            karpenterAlias: "al2023@v20261119",
            source: "SSM /aws/service/eks/optimized-ami/1.35/amazon-linux-2023/arm64/standard/recommended/{release_version,image_id} (eu-west-1)",
            asOf: "2026-12-02",
            verified: true,
            note: "image_id ami-0abc1234def567890 in eu-west-1 (arm64)",
        });

        // external-dns has no 1.35 build here: left out, said so in the output and on stderr.
        expect(entry.addons["external-dns"]).toBeUndefined();
        expect(Object.keys(entry.addons).sort()).toEqual(ADDON_NAMES.filter((n) => n !== "external-dns").sort());
        const lines = out.join("\n").split("\n");
        expect(lines[1]).toBe("        // external-dns: EKS lists no build compatible with 1.35 (arm64) in eu-west-1");
        expect(err).toEqual(["warning: external-dns has no build for Kubernetes 1.35 (arm64) in eu-west-1: the entry leaves it out"]);
        expect(entryProblems("1.35", entry)).toEqual(["1.35 external-dns: missing"]);
        expect(lines[0]).toBe("        // npm run versions -- --region eu-west-1 --kubernetes 1.35 --architecture arm64 (read 2026-12-02)");
    });

    it("follows every page and asks for each add-on by name and Kubernetes version", async () => {
        mockEks();
        mockSsm();
        await main(["--region", "eu-west-1", "--kubernetes", "1.35"], deps());

        expect(sent.cluster).toEqual([
            { clusterType: "eks", includeAll: true, maxResults: undefined },
            { clusterType: "eks", includeAll: true, maxResults: undefined, nextToken: "page-2" },
        ]);
        const addonCalls = sent.addons;
        expect(addonCalls.filter((i) => i.addonName === "vpc-cni").map((i) => i.nextToken)).toEqual([undefined, "vpc-2"]);
        expect(new Set(addonCalls.map((i) => i.addonName))).toEqual(new Set(ADDON_NAMES));
        expect(addonCalls.every((i) => i.kubernetesVersion === "1.35")).toBe(true);
    });

    it.each([
        ["arm64", [], "arm64"],
        ["amd64", ["--architecture", "amd64"], "x86_64"],
    ])("reads the %s AMI's SSM parameters by their documented names", async (_arch, extra, ssmArch) => {
        mockEks();
        mockSsm();
        expect(await main(["--region", "eu-west-1", "--kubernetes", "1.35", ...extra], deps())).toBe(0);
        const base = `/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/${ssmArch}/standard/recommended`;
        expect(ssm.commandCalls(GetParametersCommand).map((c) => c.args[0].input.Names)).toEqual([
            [`${base}/release_version`, `${base}/image_id`],
        ]);
        expect(amiParameterNames("1.35", ssmArch === "x86_64" ? "amd64" : "arm64")).toEqual({
            releaseVersion: `${base}/release_version`,
            imageId: `${base}/image_id`,
        });
    });

    it("says where to add a minor the table does not have yet", async () => {
        mockEks();
        mockSsm();
        eks.on(DescribeClusterVersionsCommand).resolves({
            clusterVersions: [
                {
                    clusterVersion: "1.37",
                    releaseDate: new Date("2026-10-01T00:00:00Z"),
                    endOfStandardSupportDate: new Date("2027-12-01T00:00:00Z"),
                    endOfExtendedSupportDate: new Date("2028-12-01T00:00:00Z"),
                },
            ],
        });
        ssm.on(GetParametersCommand).callsFake((input: { Names: string[] }) => ({
            Parameters: input.Names.map((Name) => ({
                Name,
                Value: Name.endsWith("release_version") ? "1.37.1-20261119" : "ami-0abc1234def567890",
            })),
        }));
        expect(await main(["--region", "eu-west-1", "--kubernetes", "1.37"], deps())).toBe(0);
        const text = out.join("\n");
        expect(text).toContain("// 1.37 is new to the table: add it to KUBERNETES_MINORS in stacks/versions/model.ts");
        expect(text).toContain('"1.37": {');
        expect(text).not.toContain("upstreamRelease");
    });

    it("fails in one line for a Kubernetes version EKS does not list, naming those it does", async () => {
        mockEks();
        mockSsm();
        expect(await main(["--region", "eu-west-1", "--kubernetes", "1.99"], deps())).toBe(1);
        expect(err).toEqual(["error: Kubernetes 1.99 is not an EKS version in eu-west-1 (DescribeClusterVersions lists 1.34, 1.35)"]);
        expect(out).toEqual([]);
        expect(eks.commandCalls(DescribeAddonVersionsCommand)).toEqual([]);
    });

    it("fails in one line without credentials, from the real SDK's credential chain (nothing is sent)", async () => {
        eks.restore();
        const noCredentials = new EKSClient({
            region: "eu-west-1",
            credentials: async () => {
                throw Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
            },
        });
        try {
            expect(await main(["--region", "eu-west-1", "--kubernetes", "1.35"], { ...deps(), eks: noCredentials })).toBe(1);
        } finally {
            eks.restore();
        }
        expect(err).toEqual([
            "error: no usable AWS credentials (CredentialsProviderError: Could not load credentials from any providers): " +
                "set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run aws sso login",
        ]);
        expect(out).toEqual([]);
    });

    it("fails in one line when the credentials are rejected, and when SSM has no AMI parameter", async () => {
        eks.on(DescribeClusterVersionsCommand).rejects(
            Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredTokenException" }),
        );
        expect(await main(["--region", "eu-west-1", "--kubernetes", "1.35"], deps())).toBe(1);
        expect(err.pop()).toMatch(
            /^error: no usable AWS credentials \(ExpiredTokenException: The security token included in the request is expired\)/,
        );

        eks.reset();
        mockEks();
        const names = amiParameterNames("1.35", "arm64");
        ssm.on(GetParametersCommand).resolves({ Parameters: [], InvalidParameters: [names.releaseVersion, names.imageId] });
        expect(await main(["--region", "eu-west-1", "--kubernetes", "1.35"], deps())).toBe(1);
        expect(err).toEqual([
            `error: SSM has no public parameter ${names.releaseVersion}, ${names.imageId} in eu-west-1: EKS publishes no AL2023 AMI for 1.35 there`,
        ]);
        expect(out).toEqual([]);
    });

    it("exits 2 on bad arguments, naming the setting and the value, before calling AWS", async () => {
        expect(await main(["--kubernetes", "1.35"], deps())).toBe(2);
        expect(err.pop()).toMatch(/^--region must be an AWS region such as eu-west-1\n/);
        expect(await main(["--region", "eu-west-1", "--kubernetes", "1.35.2"], deps())).toBe(2);
        expect(err.pop()).toMatch(/^--kubernetes must be a Kubernetes minor such as 1\.35, got 1\.35\.2\n/);
        expect(await main(["--region", "eu-west-1", "--kubernetes", "1.35", "--architecture", "x86_64"], deps())).toBe(2);
        expect(err.pop()).toMatch(/^--architecture must be arm64 or amd64, got x86_64\n/);
        expect(await main(["--region", "eu-west-1", "--kubernetes", "1.35", "--stack", "prod"], deps())).toBe(2);
        expect(err.pop()).toMatch(/^unknown option --stack\n/);
        expect(await main(["--help"], deps())).toBe(0);
        expect(out.pop()).toMatch(/^usage: npm run versions -- --region <region> --kubernetes <minor/);
        expect(eks.calls()).toEqual([]);
        expect(ssm.calls()).toEqual([]);
    });
});
