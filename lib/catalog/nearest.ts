// "Did you mean ...?" suggestions for config errors: the candidates closest to a mistyped value.

/**
 * Edit distance counting an insertion, deletion, substitution or swap of two neighbours as one edit (optimal string
 * alignment), so the common typo `eu-wset-1` is one edit from `eu-west-1`, not two.
 */
export function editDistance(a: string, b: string): number {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d: number[] = new Array<number>(rows * cols).fill(0);
    const at = (i: number, j: number): number => d[i * cols + j] as number;
    for (let i = 0; i < rows; i++) d[i * cols] = i;
    for (let j = 0; j < cols; j++) d[j] = j;
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
            d[i * cols + j] = best;
        }
    }
    return at(rows - 1, cols - 1);
}

function commonPrefixLength(a: string, b: string): number {
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
}

/**
 * Up to `n` candidates closest to `value`: fewest edits first, then the longest shared prefix (a wrong size keeps the
 * family, so `m9g.huge` suggests `m9g.*` before `m9gd.*`), then alphabetical. Candidates further than `maxDistance`
 * edits (default: half the value's length, at least 2) are dropped, so nonsense gets no suggestion rather than noise.
 */
export function nearest(
    value: string,
    candidates: Iterable<string>,
    n = 3,
    maxDistance = Math.max(2, Math.floor(value.length / 2)),
): string[] {
    const scored: { candidate: string; distance: number; prefix: number }[] = [];
    for (const candidate of new Set(candidates)) {
        if (candidate === value) continue;
        const distance = editDistance(value, candidate);
        if (distance <= maxDistance) scored.push({ candidate, distance, prefix: commonPrefixLength(value, candidate) });
    }
    scored.sort(
        (x, y) => x.distance - y.distance || y.prefix - x.prefix || (x.candidate < y.candidate ? -1 : x.candidate > y.candidate ? 1 : 0),
    );
    return scored.slice(0, n).map((s) => s.candidate);
}
