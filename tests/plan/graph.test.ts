// The picture of the plan: the component graph of a real stack (its edges come from the resources' dependency edges),
// valid Mermaid by Mermaid's own parser, coloured by a diff, and the README's copy current.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
    componentGraph,
    componentStates,
    diffPlans,
    graphMermaid,
    minorUpgradeTable,
    planGraph,
    REPO_ROOT,
    upgradeOrderMermaid,
    type PlanResult,
} from "../../plan";
import { UPGRADE_ORDER } from "../../stacks/versions";
import { sharedPlan } from "../helpers/shared-plan";
import { parseMermaid } from "./mermaid";

const prod = sharedPlan("prod");

/** The text between `<!-- name:start -->` and `<!-- name:end -->` in a Markdown file, a mermaid fence stripped. */
function block(file: string, name: string): string {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
    const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(text);
    if (!m) throw new Error(`${file} has no ${name} block`);
    return (m[1] as string).replace(/^```mermaid\n([\s\S]*)\n```$/, "$1");
}

describe("the component graph", () => {
    const graph = componentGraph(prod);
    const name = (urn: string) => graph.nodes.find((n) => n.urn === urn)?.name;
    const edges = graph.edges.map((e) => `${name(e.from)} -> ${name(e.to)}`);

    it("has one node per top-level component, counting every resource inside it", () => {
        const stack = prod.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
        const components = prod.resources.filter((r) => r.parent === stack && !r.custom).map((r) => r.name);
        expect(graph.nodes.map((n) => n.name).sort()).toEqual(components.sort());
        // A picture a reader takes in at once: a couple of dozen boxes, not one per resource.
        expect(graph.nodes.length).toBeLessThan(25);
        const inside = graph.nodes.reduce((n, c) => n + c.resources, 0);
        // Everything but the stack and the stack-level providers is inside a component.
        expect(inside).toBe(prod.resources.filter((r) => r.urn !== stack && !(r.parent === stack && r.custom)).length);
    });

    it("draws what waits for what: the network first, the cluster before everything that runs on it", () => {
        for (const e of [
            "network -> cluster",
            "cluster -> karpenter",
            "cluster -> ingress",
            "cluster -> observability",
            "cni -> network-baseline",
        ]) {
            expect(edges).toContain(e);
        }
        expect(edges.filter((e) => e.endsWith("-> network"))).toEqual([]);
        expect(edges.filter((e) => e.startsWith("karpenter ->") || e.startsWith("network-baseline ->"))).toEqual([]);
    });

    it("is acyclic, so the picture reads as an order", () => {
        const remaining = new Map(graph.nodes.map((n) => [n.urn, graph.edges.filter((e) => e.to === n.urn).length]));
        const order: string[] = [];
        while (remaining.size > 0) {
            const ready = [...remaining.entries()].filter(([, n]) => n === 0).map(([u]) => u);
            expect(ready.length, `a cycle among ${[...remaining.keys()].map(name).join(", ")}`).toBeGreaterThan(0);
            for (const u of ready) {
                remaining.delete(u);
                order.push(u);
                for (const e of graph.edges.filter((x) => x.from === u)) remaining.set(e.to, (remaining.get(e.to) as number) - 1);
            }
        }
        expect(order.map(name)[0]).toBe("network");
    });

    it("is Mermaid that Mermaid parses, plain and coloured by a diff", async () => {
        await expect(parseMermaid(planGraph(prod))).resolves.toBeTruthy();
        const next: PlanResult = { ...prod, resources: prod.resources.filter((r) => !r.name.startsWith("observability-loki")) };
        const diff = diffPlans(prod, next);
        const states = componentStates(diff, prod, next);
        expect(states.get("observability")).toBe("blocked");
        const coloured = graphMermaid(componentGraph(next), states);
        expect(coloured).toContain("class c_observability blocked");
        await expect(parseMermaid(coloured)).resolves.toBeTruthy();
        await expect(parseMermaid(`${coloured}\n    c_network -->`)).rejects.toThrow();
    });

    it("is in the README as `npm run plan -- --stack prod --graph` prints it", () => {
        expect(block("README.md", "component-graph:prod"), "regenerate with npm run plan -- --stack prod --graph --quiet").toBe(
            planGraph(prod),
        );
    });
});

describe("UPGRADING.md", () => {
    it("shows the upgrade order as generated from UPGRADE_ORDER, and it parses", async () => {
        const text = upgradeOrderMermaid(UPGRADE_ORDER);
        expect(block("UPGRADING.md", "upgrade-order")).toBe(text);
        await expect(parseMermaid(text)).resolves.toBeTruthy();
    });

    it("lists what 1.34 -> 1.35 changes as the version table has it", () => {
        expect(block("UPGRADING.md", "minor-delta:1.34-1.35")).toBe(minorUpgradeTable("1.34", "1.35"));
    });
});
