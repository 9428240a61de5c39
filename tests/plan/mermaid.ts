// Mermaid's own parser for the diagrams the project generates. Mermaid imports DOMPurify, which needs a window for
// its hooks; parsing sanitizes nothing, so in Node the two functions it calls are stubbed before mermaid loads.
import DOMPurify from "dompurify";

let parser: Promise<(text: string) => Promise<unknown>> | undefined;

/** Resolves when Mermaid parses the text; rejects with its syntax error otherwise. */
export function parseMermaid(text: string): Promise<unknown> {
    parser ??= (async () => {
        const purify = DOMPurify as unknown as { addHook?: unknown; sanitize?: unknown };
        purify.addHook ??= () => undefined;
        purify.sanitize ??= (s: string) => s;
        const { default: mermaid } = await import("mermaid");
        return (t: string) => mermaid.parse(t);
    })();
    return parser.then((parse) => parse(text));
}
