/**
 * Sorted-interval arithmetic on host ports (no per-port tables).
 *
 * @module
 */

/** A run of host ports that all reach the guest with the same offset. */
export interface Piece {
  /** First host port. */
  start: number;
  /** Last host port (inclusive). */
  end: number;
  /** Guest port minus host port. */
  delta: number;
  /** Index of the range the piece comes from, if any. */
  range?: number;
}

/** Sorts and merges `[first, last]` port pairs (overlapping or adjacent). */
export function mergeIntervals(
  intervals: readonly (readonly [number, number])[],
): [number, number][] {
  // Both ports fit in 16 bits: sort (first, length) as one unsigned integer,
  // which a typed array sorts natively.
  const keys = new Uint32Array(intervals.length);
  for (let i = 0; i < intervals.length; i++) {
    const [first, last] = intervals[i] as readonly [number, number];
    keys[i] = first * 65536 + (last - first);
  }
  keys.sort();
  const out: [number, number][] = [];
  let start = -2;
  let end = -2;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    const first = key >>> 16;
    const last = first + (key & 0xffff);
    if (first <= end + 1) {
      if (last > end) end = last;
      continue;
    }
    if (start >= 0) out.push([start, end]);
    start = first;
    end = last;
  }
  if (start >= 0) out.push([start, end]);
  return out;
}

/**
 * Removes merged, sorted `holes` from disjoint `pieces` (sorted or not; the
 * output keeps their order). Each piece costs a binary search plus its output.
 */
export function subtractIntervals(
  pieces: readonly Piece[],
  holes: readonly (readonly [number, number])[],
): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    // The first hole that ends at or after the piece's start.
    let low = 0;
    let high = holes.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((holes[mid] as readonly [number, number])[1] < piece.start) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    let start = piece.start;
    for (let k = low; start <= piece.end; k++) {
      const hole = holes[k];
      if (!hole || hole[0] > piece.end) {
        out.push({ ...piece, start, end: piece.end });
        break;
      }
      if (hole[0] > start) out.push({ ...piece, start, end: hole[0] - 1 });
      start = Math.max(start, hole[1] + 1);
    }
  }
  return out;
}

/** A binary min-heap of numbers. */
class MinHeap {
  readonly #items: number[] = [];
  get size(): number {
    return this.#items.length;
  }
  peek(): number | undefined {
    return this.#items[0];
  }
  push(value: number): void {
    const items = this.#items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as number) <= value) break;
      items[i] = items[parent] as number;
      i = parent;
    }
    items[i] = value;
  }
  pop(): number | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length &&
          (items[right] as number) < (items[left] as number)
        ? right
        : left;
      if ((items[child] as number) >= last) break;
      items[i] = items[child] as number;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * Flattens possibly overlapping pieces into sorted, disjoint ones where, on
 * shared ports, the piece listed first wins (as the first of two overlapping
 * ranges does in passt's port bitmap). O(n log n).
 */
export function firstWins(pieces: readonly Piece[]): Piece[] {
  // Sort indexes by start, and the distinct boundaries, as typed arrays.
  const byStart = new Float64Array(pieces.length);
  const points = new Int32Array(pieces.length * 2);
  pieces.forEach((piece, i) => {
    byStart[i] = piece.start * 2 ** 21 + i;
    points[2 * i] = piece.start;
    points[2 * i + 1] = piece.end + 1;
  });
  byStart.sort();
  points.sort();
  const heap = new MinHeap();
  const out: Piece[] = [];
  let next = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const from = points[k] as number;
    const following = points[k + 1] as number;
    if (following === from) continue;
    const to = following - 1;
    while (
      next < byStart.length &&
      (pieces[(byStart[next] as number) % 2 ** 21] as Piece).start <= from
    ) {
      heap.push((byStart[next] as number) % 2 ** 21);
      next++;
    }
    while (
      heap.size > 0 && (pieces[heap.peek() as number] as Piece).end < from
    ) {
      heap.pop();
    }
    const winner = heap.peek();
    if (winner === undefined) continue;
    const piece = pieces[winner] as Piece;
    const last = out[out.length - 1];
    if (
      last && last.end + 1 === from && last.range === piece.range &&
      last.delta === piece.delta
    ) {
      last.end = to;
    } else {
      out.push({ ...piece, start: from, end: to });
    }
  }
  return out;
}
