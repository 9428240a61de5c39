// Kubernetes resource quantities as numbers, so the config can compare a quota with a limit range ("16Gi" against
// "4096Mi", "2" against "500m"). Pure; the suffixes are those of apimachinery's resource.Quantity (binary Ki..Ei,
// decimal k..E, milli m).

const SUFFIX_FACTORS: Readonly<Record<string, number>> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes), or undefined when it is not a quantity this platform writes. */
export function quantityValue(quantity: string): number | undefined {
    const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity);
    if (!m || m[1] === undefined) return undefined;
    const factor = SUFFIX_FACTORS[m[2] ?? ""];
    return factor === undefined ? undefined : Number(m[1]) * factor;
}

/** a < b, for two quantities; false when either is not a quantity (its schema reports that). */
export function quantityLess(a: string, b: string): boolean {
    const x = quantityValue(a);
    const y = quantityValue(b);
    return x !== undefined && y !== undefined && x < y;
}
