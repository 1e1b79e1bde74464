/**
 * A brute-force model of passt's port map (a 65,536-entry table), for tests
 * only, and the fast-check generators the property tests share.
 *
 * @module
 */

import fc from "fast-check";
import type { MapInterval, PortForward, PortRange } from "./types.ts";

/** Whether a range is usable, written out independently of the library. */
export function bruteValid(range: PortRange): boolean {
  const ok = (v: number | undefined) =>
    v === undefined || (Number.isInteger(v) && v >= 1 && v <= 65535);
  if (range.start === undefined) return false;
  if (!ok(range.start) || !ok(range.end) || !ok(range.to)) return false;
  const end = range.end ?? range.start;
  if (end < range.start) return false;
  if (range.exclude === true && range.to !== undefined) return false;
  if (range.to !== undefined && range.to + end - range.start > 65535) {
    return false;
  }
  return true;
}

/** The guest port of each host port (-1 when not forwarded). */
export function bruteTable(
  forward: PortForward,
  target: "2023" | "2026" = "2023",
): Int32Array {
  const table = new Int32Array(65536).fill(-1);
  const inAll = (p: number) =>
    p >= 1 && (target === "2023" ? p <= 49151 : p <= 32767 || p >= 61000);
  const onlyExclusions = forward.ranges.length > 0 &&
    forward.ranges.every((r) => r.exclude === true);
  if (forward.ranges.length === 0 || onlyExclusions) {
    for (let p = 0; p < 65536; p++) if (inAll(p)) table[p] = p;
  } else {
    for (const range of forward.ranges) {
      if (!bruteValid(range) || range.exclude === true) continue;
      const start = range.start as number;
      const end = range.end ?? start;
      const delta = (range.to ?? start) - start;
      for (let p = start; p <= end; p++) {
        if (table[p] === -1) table[p] = p + delta;
      }
    }
  }
  for (const range of forward.ranges) {
    if (!bruteValid(range) || range.exclude !== true) continue;
    const start = range.start as number;
    for (let p = start; p <= (range.end ?? start); p++) table[p] = -1;
  }
  return table;
}

/** The table as merged intervals. */
export function tableToMap(table: Int32Array): MapInterval[] {
  const out: {
    hostStart: number;
    hostEnd: number;
    guestStart: number;
    guestEnd: number;
  }[] = [];
  for (let p = 0; p < 65536; p++) {
    const g = table[p] as number;
    if (g < 0) continue;
    const last = out.at(-1);
    if (last && last.hostEnd === p - 1 && last.guestEnd === g - 1) {
      last.hostEnd = p;
      last.guestEnd = g;
    } else {
      out.push({ hostStart: p, hostEnd: p, guestStart: g, guestEnd: g });
    }
  }
  return out;
}

/** `"40000-40004,40010-40019"`: the host side of a map, as the probe matrix writes it. */
export function hostList(map: readonly MapInterval[]): string {
  return map.map((i) =>
    i.hostStart === i.hostEnd ? `${i.hostStart}` : `${i.hostStart}-${i.hostEnd}`
  ).join(",");
}

/** Ports clustered in a window so that random ranges overlap often. */
function portIn(low: number, high: number): fc.Arbitrary<number> {
  return fc.integer({ min: low, max: high });
}

/** A valid range (start ≤ end, mapping inside 1..65535) inside a window. */
export function validRangeArb(
  low: number,
  high: number,
  exclude: boolean,
): fc.Arbitrary<PortRange> {
  return fc.record({
    start: portIn(low, high),
    length: fc.nat({ max: 40 }),
    to: fc.option(portIn(1, 65535), { nil: undefined }),
    span: fc.boolean(),
  }).map(({ start, length, to, span }) => {
    const end = Math.min(start + length, 65535);
    const range: {
      start: number;
      end?: number;
      to?: number;
      exclude?: boolean;
    } = {
      start,
    };
    if (span || end !== start) range.end = end;
    if (!exclude && to !== undefined && to + end - start <= 65535) {
      range.to = to;
    }
    if (exclude) range.exclude = true;
    return range;
  });
}

/** Any range, valid or not, with ports near a window and near the edges. */
export function anyRangeArb(): fc.Arbitrary<PortRange> {
  const value = fc.oneof(
    { weight: 8, arbitrary: portIn(1, 200) },
    { weight: 1, arbitrary: portIn(65500, 65540) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 65536) },
  );
  return fc.record({
    start: fc.option(value, { nil: undefined, freq: 20 }),
    end: fc.option(value, { nil: undefined }),
    to: fc.option(value, { nil: undefined }),
    exclude: fc.option(fc.boolean(), { nil: undefined }),
  }).map((r) => {
    const range: Record<string, number | boolean> = {};
    for (const [key, v] of Object.entries(r)) {
      if (v !== undefined) range[key] = v;
    }
    return range as PortRange;
  });
}

/** A forward of random valid includes and exclusions in a window of ports. */
export function validForwardArb(
  low = 1,
  high = 300,
): fc.Arbitrary<PortForward> {
  return fc.tuple(
    fc.array(validRangeArb(low, high, false), { maxLength: 8 }),
    fc.array(validRangeArb(low, high, true), { maxLength: 6 }),
    fc.boolean(),
  ).chain(([includes, exclusions, shuffle]) =>
    (shuffle
      ? fc.shuffledSubarray([...includes, ...exclusions], {
        minLength: includes.length + exclusions.length,
      })
      : fc.constant([...includes, ...exclusions])).map((ranges) => ({
        proto: "tcp" as const,
        ranges,
      }))
  );
}
