/**
 * Rendering passt `--tcp-ports` / `--udp-ports` specs.
 *
 * @module
 */

import type { MapInterval, PortForward, PortRange } from "./types.ts";
import { portText } from "./_range.ts";
import { piecesToMap } from "./effective_map.ts";

/** Where a spec listens: the `[address][%dev]/` prefix. */
export interface FormatSpecOptions {
  /**
   * Host address to listen on, written as given (IPv6 bare, no brackets).
   *
   * @default {undefined}
   */
  readonly address?: string;
  /**
   * Host interface to bind to, written after `%`.
   *
   * @default {undefined}
   */
  readonly dev?: string;
}

function prefix(options?: FormatSpecOptions): string {
  const address = options?.address ?? "";
  const dev = options?.dev ? `%${options.dev}` : "";
  return address || dev ? `${address}${dev}/` : "";
}

function formatRange(range: PortRange): string {
  // libvirt: a range without start renders as 0.
  const start = range.start ?? 0;
  let text = range.exclude === true ? `~${start}` : `${start}`;
  if (range.end !== undefined) text += `-${range.end}`;
  if (range.to !== undefined) {
    text += `:${range.to}`;
    // toEnd = end + to - start, only when both end and to are set.
    if (range.end !== undefined) text += `-${range.end + range.to - start}`;
  }
  return text;
}

/**
 * Renders port ranges as a passt `--tcp-ports` / `--udp-ports` spec, exactly
 * as libvirt does.
 *
 * The prefix is `address`, then `%dev`, then `/` when either is set; each
 * range is `[~]start[-end][:to[-toEnd]]` with `toEnd = end + to - start`;
 * no ranges render as `all`. Values are written as they are, without
 * checking them: a range without `start` renders as `0`, like libvirt (an
 * edge case; {@linkcode checkForwards} reports it).
 *
 * @param ranges The `<range>` elements, in document order.
 * @param options The listen address and device.
 * @returns The spec text.
 * @example Forward host 2022 to guest 22
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSpec } from "@passtkit/ports";
 *
 * assert.equal(formatSpec([{ start: 2022, to: 22 }]), "2022:22");
 * assert.equal(
 *   formatSpec(
 *     [
 *       { start: 2022, to: 22 },
 *       { start: 5000, end: 5099, to: 1000 },
 *       { start: 5010, end: 5029, exclude: true },
 *     ],
 *     { address: "10.0.0.1", dev: "eth0" },
 *   ),
 *   "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
 * );
 * assert.equal(formatSpec([], { address: "1.2.3.4" }), "1.2.3.4/all");
 * assert.equal(formatSpec([{ start: 80 }], { dev: "eth0" }), "%eth0/80");
 * ```
 */
export function formatSpec(
  ranges: readonly PortRange[],
  options?: FormatSpecOptions,
): string {
  const body = ranges.length === 0 ? "all" : ranges.map(formatRange).join(",");
  return prefix(options) + body;
}

/**
 * Renders a `<portForward>` as libvirt does: `formatSpec(forward.ranges, forward)`.
 *
 * @param forward The `<portForward>`.
 * @returns The spec text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatForward } from "@passtkit/ports";
 *
 * assert.equal(
 *   formatForward({ proto: "udp", address: "2001:db8::1", ranges: [{ start: 10101 }] }),
 *   "2001:db8::1/10101",
 * );
 * ```
 */
export function formatForward(forward: PortForward): string {
  return formatSpec(forward.ranges, forward);
}

function includeText(hostStart: number, hostEnd: number, delta: number) {
  const host = portText(hostStart, hostEnd);
  return delta === 0
    ? host
    : `${host}:${portText(hostStart + delta, hostEnd + delta)}`;
}

/**
 * Renders the shortest spec that forwards exactly a given map.
 *
 * Intervals are written in host order. Neighbouring intervals with the same
 * guest offset are written as one range with `~` exclusions for the gaps
 * between them when that is shorter (the gaps are not forwarded, so the
 * exclusions change nothing else). The result is valid for both the 2023 and
 * the 2026 passt (no overlaps, no overlapping exclusions). An empty map gives
 * `none` (which takes no prefix).
 *
 * @param map Sorted, disjoint intervals, as {@linkcode effectiveMap} returns them.
 * @param options The listen address and device for the prefix.
 * @returns The spec text.
 * @example The seed, shortest form
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalSpec, effectiveMap } from "@passtkit/ports";
 *
 * const map = effectiveMap({
 *   proto: "tcp",
 *   ranges: [
 *     { start: 5010, end: 5029, exclude: true },
 *     { start: 5000, end: 5099, to: 1000 },
 *     { start: 2022, to: 22 },
 *   ],
 * });
 * assert.equal(canonicalSpec(map), "2022:22,5000-5099:1000-1099,~5010-5029");
 * ```
 */
export function canonicalSpec(
  map: readonly MapInterval[],
  options?: FormatSpecOptions,
): string {
  // Re-merge, so that neighbours with the same offset always have a gap.
  map = piecesToMap(map.map((interval) => ({
    start: interval.hostStart,
    end: interval.hostEnd,
    delta: interval.guestStart - interval.hostStart,
  })));
  if (map.length === 0) return "none";
  const n = map.length;
  const at = (i: number) => map[i] as MapInterval;
  const delta = (i: number) => at(i).guestStart - at(i).hostStart;
  // Every item costs its length plus one separator; one is taken off at the end.
  const single = (i: number) =>
    includeText(at(i).hostStart, at(i).hostEnd, delta(i)).length + 1;
  const gapCost = (i: number) =>
    `~${portText(at(i - 1).hostEnd + 1, at(i).hostStart - 1)}`.length + 1;
  // A group i..j (i < j) costs head(i) + tail(j) + the gaps inside it.
  const head = (i: number) => {
    const d = delta(i);
    return `${at(i).hostStart}`.length + 1 +
      (d === 0 ? 0 : 1 + `${at(i).hostStart + d}`.length);
  };
  const tail = (j: number) => {
    const d = delta(j);
    return `${at(j).hostEnd}`.length + 1 +
      (d === 0 ? 0 : 1 + `${at(j).hostEnd + d}`.length);
  };
  // gaps[i]: total cost of the exclusions between intervals 0..i.
  const gaps: number[] = [0];
  for (let i = 1; i < n; i++) gaps.push((gaps[i - 1] as number) + gapCost(i));
  const cost: number[] = new Array(n + 1).fill(0);
  const from: number[] = new Array(n + 1).fill(0);
  // best: min over group starts i of cost[i] + head(i) - gaps[i], for the current run.
  let best = Infinity;
  let bestStart = -1;
  for (let j = 0; j < n; j++) {
    const continues = j > 0 && delta(j) === delta(j - 1);
    if (!continues) best = Infinity;
    // A group may start at j (it is then closed at a later j).
    const startHere = (cost[j] as number) + head(j) - (gaps[j] as number);
    const alone = (cost[j] as number) + single(j);
    let value = alone;
    let choice = j;
    if (best !== Infinity) {
      const grouped = best + tail(j) + (gaps[j] as number);
      if (grouped < value) {
        value = grouped;
        choice = bestStart;
      }
    }
    cost[j + 1] = value;
    from[j + 1] = choice;
    if (startHere < best) {
      best = startHere;
      bestStart = j;
    }
  }
  const includes: string[] = [];
  const excludes: string[] = [];
  const groups: [number, number][] = [];
  for (let j = n; j > 0;) {
    const i = from[j] as number;
    groups.push([i, j - 1]);
    j = i;
  }
  for (const [i, j] of groups.reverse()) {
    includes.push(includeText(at(i).hostStart, at(j).hostEnd, delta(i)));
    for (let k = i + 1; k <= j; k++) {
      excludes.push(`~${portText(at(k - 1).hostEnd + 1, at(k).hostStart - 1)}`);
    }
  }
  return prefix(options) + [...includes, ...excludes].join(",");
}
