/**
 * Finding included ranges that share host ports, in O(n log n).
 *
 * @module
 */

import type { Piece } from "./_intervals.ts";

/** Two ranges (by index) that share host ports, and the first shared port range. */
export interface Overlap {
  /** The range written later. */
  readonly later: number;
  /** The range written earlier. */
  readonly earlier: number;
  /** First shared port. */
  readonly start: number;
  /** Last shared port. */
  readonly end: number;
}

/**
 * For each range that shares ports with another, one overlap naming it as
 * `later` (sorted by `later`). Pieces must carry `range`; pieces of one
 * range must not overlap each other.
 */
export function findOverlaps(pieces: readonly Piece[]): Overlap[] {
  const sorted = [...pieces].sort((a, b) =>
    a.start - b.start || (a.range ?? 0) - (b.range ?? 0)
  );
  const found = new Map<number, Overlap>();
  let widest: Piece | undefined;
  for (const piece of sorted) {
    if (widest && piece.start <= widest.end && widest.range !== piece.range) {
      const a = piece.range ?? 0;
      const b = widest.range ?? 0;
      const later = Math.max(a, b);
      if (!found.has(later)) {
        found.set(later, {
          later,
          earlier: Math.min(a, b),
          start: piece.start,
          end: Math.min(piece.end, widest.end),
        });
      }
    }
    if (!widest || piece.end > widest.end) widest = piece;
  }
  return [...found.values()].sort((x, y) => x.later - y.later);
}
