/**
 * What a `<portForward>` really forwards: sorted host intervals and the
 * guest ports they reach.
 *
 * @module
 */

import type { MapInterval, PortForward } from "./types.ts";
import { allPorts, type PasstTargetOptions } from "./target.ts";
import { validRange } from "./_range.ts";
import {
  firstWins,
  mergeIntervals,
  type Piece,
  subtractIntervals,
} from "./_intervals.ts";

/** Whether a forward's ranges are all exclusions (passt's "everything except"). */
export function isExclusionOnly(forward: PortForward): boolean {
  return forward.ranges.length > 0 &&
    forward.ranges.every((range) => range.exclude === true);
}

/**
 * The forwarded host ports as disjoint, sorted pieces that remember which
 * range they come from (`range` is absent for `all` and exclusion-only
 * coverage).
 */
export function effectivePieces(
  forward: PortForward,
  options?: PasstTargetOptions,
): Piece[] {
  const includes: Piece[] = [];
  const excludes: [number, number][] = [];
  forward.ranges.forEach((range, index) => {
    const valid = validRange(range);
    if (!valid) return;
    if (valid.exclude) excludes.push([valid.start, valid.end]);
    else {
      includes.push({
        start: valid.start,
        end: valid.end,
        delta: valid.delta,
        range: index,
      });
    }
  });
  // libvirt: no ranges = all ports; passt: only exclusions = all ports
  // except those.
  const base = forward.ranges.length === 0 || isExclusionOnly(forward)
    ? allPorts(options).map(([start, end]) => ({ start, end, delta: 0 }))
    : firstWins(includes);
  return subtractIntervals(base, mergeIntervals(excludes));
}

/** Turns sorted, disjoint pieces into map intervals, merging runs that continue. */
export function piecesToMap(pieces: readonly Piece[]): MapInterval[] {
  const out: MapInterval[] = [];
  let current: { start: number; end: number; delta: number } | undefined;
  const flush = () => {
    if (!current) return;
    out.push({
      hostStart: current.start,
      hostEnd: current.end,
      guestStart: current.start + current.delta,
      guestEnd: current.end + current.delta,
    });
  };
  for (const piece of pieces) {
    if (
      current && current.end + 1 === piece.start &&
      current.delta === piece.delta
    ) {
      current.end = piece.end;
      continue;
    }
    flush();
    current = { start: piece.start, end: piece.end, delta: piece.delta };
  }
  flush();
  return out;
}

/**
 * Computes the exact host ports a forward forwards and the guest port each
 * one reaches, as sorted, merged intervals.
 *
 * Exclusions carve out of the included ranges in any order. A forward with no
 * ranges means all ports, and one with only exclusions means all ports except
 * those; "all" is what the target passt covers (see {@linkcode allPorts}: 2023
 * forwards 1-49151, its random-port bug for port 0 is not modelled; 2026
 * forwards 1-32767 and 61000-65535). Ranges with a problem (see
 * {@linkcode checkForwards}) are skipped. Where two included ranges overlap
 * (which passt rejects), the one written first wins. Adjacent intervals are
 * merged when the guest ports continue. The cost is O(n log n) in the number
 * of ranges, independent of how many ports they span.
 *
 * @param forward The `<portForward>`.
 * @param options Which passt's notion of "all ports" to use.
 * @returns Sorted, disjoint, merged intervals.
 * @example The seed's TCP forward
 * ```ts
 * import assert from "node:assert/strict";
 * import { effectiveMap } from "@passtkit/ports";
 *
 * const map = effectiveMap({
 *   proto: "tcp",
 *   address: "10.0.0.1",
 *   dev: "eth0",
 *   ranges: [
 *     { start: 2022, to: 22 },
 *     { start: 5000, end: 5099, to: 1000 },
 *     { start: 5010, end: 5029, exclude: true },
 *   ],
 * });
 * assert.deepEqual(map, [
 *   { hostStart: 2022, hostEnd: 2022, guestStart: 22, guestEnd: 22 },
 *   { hostStart: 5000, hostEnd: 5009, guestStart: 1000, guestEnd: 1009 },
 *   { hostStart: 5030, hostEnd: 5099, guestStart: 1030, guestEnd: 1099 },
 * ]);
 * ```
 */
export function effectiveMap(
  forward: PortForward,
  options?: PasstTargetOptions,
): MapInterval[] {
  return piecesToMap(effectivePieces(forward, options));
}

/**
 * Finds the guest port that a host port reaches (binary search).
 *
 * @param map An effective map, as {@linkcode effectiveMap} returns it.
 * @param hostPort The host port.
 * @returns The guest port, or `undefined` if the host port is not forwarded.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { effectiveMap, guestPortFor } from "@passtkit/ports";
 *
 * const map = effectiveMap({ proto: "tcp", ranges: [{ start: 5000, end: 5099, to: 1000 }] });
 * assert.equal(guestPortFor(map, 5050), 1050);
 * assert.equal(guestPortFor(map, 4999), undefined);
 * ```
 */
export function guestPortFor(
  map: readonly MapInterval[],
  hostPort: number,
): number | undefined {
  let low = 0;
  let high = map.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const interval = map[mid] as MapInterval;
    if (hostPort < interval.hostStart) high = mid - 1;
    else if (hostPort > interval.hostEnd) low = mid + 1;
    else return interval.guestStart + hostPort - interval.hostStart;
  }
  return undefined;
}

interface GuestIndex {
  /** Intervals sorted by guest start. */
  readonly byGuest: readonly MapInterval[];
  /** `maxEnd[i]`: the highest guest end among `byGuest[0..i]`. */
  readonly maxEnd: readonly number[];
}

const guestIndexes = new WeakMap<readonly MapInterval[], GuestIndex>();

function guestIndex(map: readonly MapInterval[]): GuestIndex {
  const cached = guestIndexes.get(map);
  if (cached && cached.byGuest.length === map.length) return cached;
  const byGuest = [...map].sort((a, b) => a.guestStart - b.guestStart);
  const maxEnd: number[] = [];
  let max = -1;
  for (const interval of byGuest) {
    max = Math.max(max, interval.guestEnd);
    maxEnd.push(max);
  }
  const index = { byGuest, maxEnd };
  guestIndexes.set(map, index);
  return index;
}

/**
 * Finds every host port that reaches a guest port.
 *
 * Several host ports may reach the same guest port (`2022:22,2222:22`). The
 * first call for a map builds a guest-sorted index (kept in a `WeakMap`);
 * later calls are a binary search. Do not mutate a map after looking it up.
 *
 * @param map An effective map, as {@linkcode effectiveMap} returns it.
 * @param guestPort The guest port.
 * @returns The host ports, in ascending order (empty when none).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { effectiveMap, hostPortsFor } from "@passtkit/ports";
 *
 * const map = effectiveMap({
 *   proto: "tcp",
 *   ranges: [{ start: 2022, to: 22 }, { start: 2222, to: 22 }],
 * });
 * assert.deepEqual(hostPortsFor(map, 22), [2022, 2222]);
 * assert.deepEqual(hostPortsFor(map, 23), []);
 * ```
 */
export function hostPortsFor(
  map: readonly MapInterval[],
  guestPort: number,
): number[] {
  const { byGuest, maxEnd } = guestIndex(map);
  // The last interval whose guest start is at or below the port.
  let low = 0;
  let high = byGuest.length - 1;
  let last = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((byGuest[mid] as MapInterval).guestStart <= guestPort) {
      last = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  const hosts: number[] = [];
  for (let i = last; i >= 0 && (maxEnd[i] as number) >= guestPort; i--) {
    const interval = byGuest[i] as MapInterval;
    if (interval.guestEnd >= guestPort) {
      hosts.push(interval.hostStart + guestPort - interval.guestStart);
    }
  }
  return hosts.sort((a, b) => a - b);
}
