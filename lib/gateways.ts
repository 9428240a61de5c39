// The shared Gateways a stack may offer, as data: their keys in the stack file (eks-platform:ingress.gateways.<key>),
// the Gateway objects' names and their load balancer schemes; and how a listener hostname admits a host (the Gateway
// API rule). Used by the config (rules) and by the components (objects). Pure; imports nothing of the project.

export const SHARED_GATEWAYS = {
    internetFacing: { name: "internet-facing", scheme: "internet-facing" },
    internal: { name: "internal", scheme: "internal" },
} as const;
export type SharedGatewayKey = keyof typeof SHARED_GATEWAYS;
export const SHARED_GATEWAY_KEYS = Object.keys(SHARED_GATEWAYS) as SharedGatewayKey[];

/**
 * True when a listener hostname admits `host`: any host without one, the same name, or under a leading wildcard
 * exactly one more label (Gateway API Listener.hostname: "*.example.com" matches "foo.example.com", not
 * "foo.bar.example.com" nor "example.com").
 */
export function hostMatchesListener(host: string, listenerHostname: string | undefined): boolean {
    if (listenerHostname === undefined) return true;
    if (!listenerHostname.startsWith("*.")) return host === listenerHostname;
    const suffix = listenerHostname.slice(1);
    return host.endsWith(suffix) && host.length > suffix.length && !host.slice(0, -suffix.length).includes(".");
}
