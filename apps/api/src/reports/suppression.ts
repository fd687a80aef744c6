import { SUPPRESSED, SUPPRESSION_THRESHOLD, type ReportCount } from '@haven/contracts';

/** A published total and the cells that add up to it. */
export interface SumGroup {
  total: string;
  parts: readonly string[];
}

/**
 * Small-cell suppression for a set of counts tied together by sums (a table with its margins).
 *
 * 1. Primary: every count from 1 to SUPPRESSION_THRESHOLD − 1 is hidden. Zero is shown: it
 *    tells about nobody.
 * 2. Complementary: where a shown total has exactly one hidden part, that part could be
 *    computed by subtraction, so the smallest other shown part is hidden too; repeated until no
 *    group gives a hidden cell away.
 *
 * This is the usual heuristic, not a full linear-programming audit: with the few, small tables
 * Haven publishes (status × priority with both margins) it leaves no cell recoverable by
 * subtracting shown cells from a shown total.
 */
export function suppressCounts(
  counts: ReadonlyMap<string, number>,
  groups: readonly SumGroup[],
): Map<string, ReportCount> {
  const hidden = new Set<string>();
  for (const [key, value] of counts) {
    if (value > 0 && value < SUPPRESSION_THRESHOLD) hidden.add(key);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const group of groups) {
      if (hidden.has(group.total)) continue;
      const hiddenParts = group.parts.filter((p) => hidden.has(p));
      if (hiddenParts.length !== 1) continue;
      const shown = group.parts
        .filter((p) => !hidden.has(p))
        .sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || a.localeCompare(b));
      // A lone hidden part next to only zeros would equal the total, which is then < 5 and
      // hidden itself; hiding a zero still keeps the subtraction from naming the value.
      const next = shown.find((p) => (counts.get(p) ?? 0) > 0) ?? shown[0];
      if (next === undefined) continue;
      hidden.add(next);
      changed = true;
    }
  }
  const out = new Map<string, ReportCount>();
  for (const [key, value] of counts) out.set(key, hidden.has(key) ? SUPPRESSED : value);
  return out;
}

/** A median over `n` values, or null when fewer than SUPPRESSION_THRESHOLD contribute. */
export function suppressMedian(median: number | null, n: number): number | null {
  return n < SUPPRESSION_THRESHOLD || median === null ? null : median;
}

/** A count on its own (no published total depends on it). */
export function suppressOne(value: number): ReportCount {
  return value > 0 && value < SUPPRESSION_THRESHOLD ? SUPPRESSED : value;
}
