// What the plan keeps of a registration for the diff: per-input dependencies, alias URNs (an alias spec's blank
// fields default to the resource's own, as the SDK sends them), replaceOnChanges (ignoreChanges is the recorder's).
import { describe, expect, it } from "vitest";
import { aliasUrn, recordRegistrationOptions, type AliasMessage, type PlannedResource, type RegistrationOptions } from "../../plan";
import { sharedPlan } from "../helpers/shared-plan";

const urnOf = (parent: string, type: string, name: string) => `${parent ? `${parent.split("::")[2]}$` : ""}${type}::${name}`;
const spec = (
    fields: Partial<Record<"name" | "type" | "parenturn" | "stack" | "project", string>> & { noparent?: boolean },
): AliasMessage => ({
    getUrn: () => "",
    hasSpec: () => true,
    getSpec: () => ({
        getName: () => fields.name ?? "",
        getType: () => fields.type ?? "",
        getParenturn: () => fields.parenturn ?? "",
        getNoparent: () => fields.noparent ?? false,
        getStack: () => fields.stack ?? "",
        getProject: () => fields.project ?? "",
    }),
});
const self = { type: "aws:s3/bucket:Bucket", name: "logs", parent: "urn:x::p::my:comp:Comp::obs" };

describe("alias URNs", () => {
    it("take the resource's own type, name and parent where the spec leaves them blank", () => {
        expect(aliasUrn(spec({ name: "old-logs" }), self, urnOf)).toBe("my:comp:Comp$aws:s3/bucket:Bucket::old-logs");
        expect(aliasUrn(spec({ noparent: true }), self, urnOf)).toBe("aws:s3/bucket:Bucket::logs");
        expect(aliasUrn(spec({ parenturn: "urn:x::p::other:Comp::o" }), self, urnOf)).toBe("other:Comp$aws:s3/bucket:Bucket::logs");
    });

    it("are the URN itself when given as one, and none for another stack or project", () => {
        const byUrn: AliasMessage = { getUrn: () => "urn:old", hasSpec: () => false, getSpec: () => undefined };
        expect(aliasUrn(byUrn, self, urnOf)).toBe("urn:old");
        expect(aliasUrn(spec({ name: "x", stack: "other" }), self, urnOf)).toBeUndefined();
    });
});

describe("recordRegistrationOptions", () => {
    it("keeps non-empty property dependencies sorted, aliases other than itself, replaceOnChanges (ignoreChanges is the recorder's)", () => {
        const deps = new Map([
            ["vpcId", ["urn:b", "urn:a"]],
            ["tags", []],
        ]);
        const req: RegistrationOptions = {
            getType: () => self.type,
            getName: () => self.name,
            getParent: () => self.parent,
            getPropertydependenciesMap: () => ({ forEach: (cb) => deps.forEach((urns, k) => cb({ getUrnsList: () => urns }, k)) }),
            getAliasesList: () => [spec({ name: "old-logs" }), spec({})],
            getReplaceonchangesList: () => ["bucket"],
            getIgnorechangesList: () => ["tags"],
        };
        const resource = { urn: "my:comp:Comp$aws:s3/bucket:Bucket::logs", inputs: {} } as PlannedResource;
        recordRegistrationOptions(resource, req, urnOf);
        expect(resource.propertyDependencies).toEqual({ vpcId: ["urn:a", "urn:b"] });
        expect(resource.aliases).toEqual(["my:comp:Comp$aws:s3/bucket:Bucket::old-logs"]);
        expect(resource.replaceOnChanges).toEqual(["bucket"]);
    });
});

describe("in a real plan", () => {
    it("records which resource feeds which input (prod: a subnet's vpcId comes from the VPC)", () => {
        const plan = sharedPlan("prod");
        const vpc = plan.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
        const subnet = plan.resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && r.name === "network-private-0");
        expect(subnet?.propertyDependencies?.vpcId).toEqual([vpc?.urn]);
        expect(subnet?.propertyDependencies?.cidrBlock).toBeUndefined();
    });
});
