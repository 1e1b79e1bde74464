/**
 * Problems of a set of `<portForward>`s: bad values, and host ports that
 * passt (or the kernel) would refuse to forward twice.
 *
 * @module
 */

import type { PortForward, PortRange } from "./types.ts";
import type { PasstTargetOptions } from "./target.ts";
import {
  addressesOverlap,
  addressKey,
  mappedIPv4,
  parseIPv6,
} from "./_address.ts";
import { mergeIntervals, type Piece, subtractIntervals } from "./_intervals.ts";
import { findOverlaps } from "./_overlap.ts";
import {
  MAX_PORT,
  portsText,
  type RangeIssue,
  rangeIssues,
  validRange,
} from "./_range.ts";
import { effectivePieces, isExclusionOnly } from "./effective_map.ts";
import { formatForward } from "./format_spec.ts";

/** passt 2023 copies a spec into BUFSIZ bytes. */
const SPEC_MAX_2023 = 8191;

/** Options of {@linkcode checkForwards}. */
export interface CheckOptions extends PasstTargetOptions {
  /**
   * `groups[i]` names the interface (the passt process) that `forwards[i]`
   * belongs to, e.g. its alias. Forwards of different groups only clash
   * when the kernel would refuse the second bind.
   *
   * @default {undefined} (all forwards belong to one interface)
   */
  readonly groups?: readonly (string | number)[];
}

/** One problem found by {@linkcode checkForwards}. */
export interface PortProblem {
  /**
   * A stable kebab-case identifier: `missing-start`, `port-invalid`,
   * `port-too-large`, `port-zero`, `end-before-start`, `exclude-with-to`,
   * `mapping-overflow`, `overlap`, `overlap-across-forwards`,
   * `overlap-across-interfaces`, `all-with-address`, `dev-without-address`,
   * `dev-name-too-long`, `mapped-address`, `spec-too-long`, `random-port`.
   */
  readonly code: string;
  /** `error` for everything that passt rejects or misreads. */
  readonly severity: "error" | "warning";
  /** One sentence quoting the offending values. */
  readonly message: string;
  /** Index of the forward in the input. */
  readonly forward: number;
  /** Index of the range in that forward's `ranges`, when one range is at fault. */
  readonly range?: number;
  /** The attribute of that range that is wrong. */
  readonly attribute?: "start" | "end" | "to" | "exclude";
  /** The other forward (and range) involved in an overlap. */
  readonly other?: { readonly forward: number; readonly range?: number };
}

function written(range: PortRange): string {
  const start = range.start ?? "?";
  return range.end === undefined ? `${start}` : `${start}-${range.end}`;
}

function issueMessage(
  forward: PortForward,
  range: PortRange,
  issue: RangeIssue,
  target: "2023" | "2026",
): string {
  const proto = forward.proto;
  switch (issue.code) {
    case "missing-start":
      return range.end !== undefined || range.to !== undefined ||
          range.exclude !== undefined
        // libvirt's own text.
        ? "The 'range' of a 'portForward' requires 'start' attribute if 'end', 'to', or 'exclude' is specified"
        : `a ${proto} <range> without 'start' is passed to passt as port 0, which ${
          target === "2023"
            ? "passt 2023 binds as a random port"
            : "passt 2026 rejects"
        }`;
    case "port-invalid":
      return `${proto} ${issue.attribute} port '${issue.value}' is not a whole number`;
    case "port-too-large":
      return `${proto} ${issue.attribute} port ${issue.value} is above ${MAX_PORT}, the highest port`;
    case "port-zero":
      return zeroMessage(proto, issue, target);
    case "end-before-start":
      return `${proto} range ${range.start}-${range.end} ends before it starts`;
    case "exclude-with-to":
      return `the ${proto} exclusion ${
        written(range)
      } has to='${range.to}', which passt rejects as an invalid port specifier`;
    case "mapping-overflow": {
      const start = range.start as number;
      const end = range.end ?? start;
      const to = range.to as number;
      return `${proto} ${
        portsText(start, end)
      } mapped to ${to} would reach guest port ${
        to + end - start
      }, above ${MAX_PORT}`;
    }
  }
}

/** What passt says of port 0 as a host port and as a mapped-to port. */
function zeroMessage(
  proto: string,
  issue: RangeIssue,
  target: "2023" | "2026",
): string {
  const { attribute, value } = issue;
  if (value !== 0 || attribute === "end") {
    return `${proto} ${attribute} port ${value} is not a valid port (ports start at 1)`;
  }
  if (target === "2026") {
    return `${proto} ${attribute} port 0 is refused by passt 2026 ("Forwarding rule attempts to map ${
      attribute === "to" ? "to" : "from"
    } port 0")`;
  }
  return attribute === "start"
    ? `${proto} port 0 makes passt 2023 bind a random port`
    : `${proto} to port 0 is accepted by passt 2023, but no guest service can listen on port 0`;
}

function where(forward: PortForward): string {
  const address = forward.address ? `on ${forward.address}` : "on any address";
  return forward.dev ? `${address} via ${forward.dev}` : address;
}

/** Host ports two forwards share, with the piece of each that holds them. */
interface Shared {
  readonly start: number;
  readonly end: number;
  readonly a: Piece;
  readonly b: Piece;
}

/** The first port shared by sorted, disjoint `a` and any `b`, with the pieces holding it. */
function firstShared(
  a: readonly Piece[],
  b: readonly Piece[],
): Shared | undefined {
  const sortedB = [...b].sort((x, y) => x.start - y.start);
  for (const piece of sortedB) {
    let low = 0;
    let high = a.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((a[mid] as Piece).end < piece.start) low = mid + 1;
      else high = mid;
    }
    const hit = a[low];
    if (hit && hit.start <= piece.end) {
      return {
        start: Math.max(hit.start, piece.start),
        end: Math.min(hit.end, piece.end),
        a: hit,
        b: piece,
      };
    }
  }
  return undefined;
}

/**
 * Finds every problem of a set of port forwards, as structured values that
 * point at the offending forward, range and attribute.
 *
 * Per range: `missing-start`, `port-invalid`, `port-too-large` (above 65535),
 * `port-zero` (0 or negative), `end-before-start`, `exclude-with-to`,
 * `mapping-overflow` (the guest end passes 65535). Within a forward:
 * `overlap` when two included ranges share forwarded host ports, and, for
 * passt 2023 only, when exclusions overlap. Between forwards of one
 * interface and protocol: `overlap-across-forwards` (passt 2023 refuses a
 * port in two `-t`/`-u` options even on different addresses, and `all` with
 * anything else; passt 2026 only when the addresses overlap). Between
 * interfaces: `overlap-across-interfaces` when the addresses overlap (the
 * same address, or either is any address) and the devices do not keep them
 * apart, since the kernel refuses the second bind. With target 2023 also
 * the spec forms that passt 2023 rejects: `all-with-address` (`ADDR/all`),
 * `dev-without-address` (`%dev/`) and `dev-name-too-long` (over 12
 * characters; over 15 for 2026), and `mapped-address` (an IPv4-mapped IPv6
 * address, which passt 2023 parses but cannot bind; passt 2026 takes it as
 * IPv4), and `spec-too-long` (a rendered spec over 8191 characters, which
 * passt 2023 silently cuts). Port 0 gets a message saying what the target passt does with it
 * (2023 binds a random port, 2026 refuses the rule). Every problem has
 * severity `error` except `random-port`, a warning that passt 2023 reads a
 * forward of only exclusions as ports 0-49151 minus them, and one without
 * ranges, address or dev (`all`) as ports 0-49151, port 0 binding a random
 * port.
 *
 * @param forwards The forwards, e.g. every `<portForward>` of a document.
 * @param options The target passt and which interface each forward belongs to.
 * @returns The problems, by forward and range.
 * @example Overlapping ranges
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkForwards } from "@passtkit/ports";
 *
 * const problems = checkForwards([
 *   { proto: "tcp", ranges: [{ start: 5000, end: 5099 }, { start: 5050, end: 5060 }] },
 * ]);
 * assert.equal(problems.length, 1);
 * assert.equal(problems[0]?.code, "overlap");
 * assert.equal(problems[0]?.range, 1);
 * assert.deepEqual(problems[0]?.other, { forward: 0, range: 0 });
 * assert.equal(
 *   problems[0]?.message,
 *   "tcp ports 5050-5060 overlap ports 5000-5099 of another range in the same <portForward>",
 * );
 * ```
 */
export function checkForwards(
  forwards: readonly PortForward[],
  options?: CheckOptions,
): PortProblem[] {
  const target = options?.target ?? "2023";
  const problems: PortProblem[] = [];
  const pieces: Piece[][] = [];
  // passt: the ports a forward's option covers in passt 2023's
  // bitmap, which no later option may touch (see `clashInInterface`).
  const covers: Piece[][] = [];

  forwards.forEach((forward, f) => {
    const proto = forward.proto;
    if (target === "2023") {
      const length = formatForward(forward).length;
      if (length > SPEC_MAX_2023) {
        problems.push({
          code: "spec-too-long",
          severity: "error",
          message:
            `the ${proto} spec is ${length} characters long; passt 2023 silently cuts it at ${SPEC_MAX_2023} characters, so later ranges are lost — split it into several <portForward> elements`,
          forward: f,
        });
      }
      if (forward.ranges.length === 0 && forward.address) {
        problems.push({
          code: "all-with-address",
          severity: "error",
          message:
            `a ${proto} <portForward> without ranges on ${forward.address} becomes '${forward.address}${
              forward.dev ? `%${forward.dev}` : ""
            }/all', which passt 2023 rejects as an invalid port specifier`,
          forward: f,
        });
      }
      const mapped = forward.address === undefined
        ? undefined
        : mappedIPv4(parseIPv6(forward.address) ?? []);
      if (mapped !== undefined) {
        // passt: a v4-mapped address.
        problems.push({
          code: "mapped-address",
          severity: "error",
          message:
            `the ${proto} <portForward> address '${forward.address}' is IPv4-mapped, which passt 2023 cannot bind ("Failed to bind any port"); use ${mapped}`,
          forward: f,
        });
      }
      // Only when the exclusions themselves are valid: otherwise passt
      // refuses the spec and their own errors say so. The `all` form
      // (no ranges, no address, no dev) covers port 0 just the same.
      const all = forward.ranges.length === 0 && !forward.address &&
        forward.dev === undefined;
      if (
        all ||
        (isExclusionOnly(forward) &&
          forward.ranges.every((range) => validRange(range) !== undefined))
      ) {
        // passt 2023 includes port 0 in "every port", and binding port 0
        // takes a random port.
        problems.push({
          code: "random-port",
          severity: "warning",
          message:
            `passt 2023 forwards every ${proto} port from 0 to 49151 here${
              forward.ranges.length ? " except the excluded ones" : ""
            }, and for port 0 it also binds one random port`,
          forward: f,
        });
      }
      if (forward.dev !== undefined && !forward.address) {
        problems.push({
          code: "dev-without-address",
          severity: "error",
          message:
            `the ${proto} <portForward> has dev='${forward.dev}' without an address, which passt 2023 rejects ('%${forward.dev}/…' is an invalid port specifier)`,
          forward: f,
        });
      }
    }
    const maxDev = target === "2023" ? 12 : 15;
    if (forward.dev !== undefined && forward.dev.length > maxDev) {
      problems.push({
        code: "dev-name-too-long",
        severity: "error",
        message:
          `interface name '${forward.dev}' is too long for passt ${target} (at most ${maxDev} characters)`,
        forward: f,
      });
    }

    forward.ranges.forEach((range, r) => {
      for (const issue of rangeIssues(range)) {
        problems.push({
          code: issue.code,
          severity: "error",
          message: issueMessage(forward, range, issue, target),
          forward: f,
          range: r,
          attribute: issue.attribute,
        });
      }
    });

    const includes: Piece[] = [];
    const exclusions: Piece[] = [];
    forward.ranges.forEach((range, r) => {
      const valid = validRange(range);
      if (!valid) return;
      const piece = { start: valid.start, end: valid.end, delta: 0, range: r };
      (valid.exclude ? exclusions : includes).push(piece);
    });
    if (target === "2023") {
      // passt: "Overlapping port specifier" for `~40005,~40005`.
      for (const overlap of findOverlaps(exclusions)) {
        const later = forward.ranges[overlap.later] as PortRange;
        const earlier = forward.ranges[overlap.earlier] as PortRange;
        problems.push({
          code: "overlap",
          severity: "error",
          message: `${proto} exclusion ${written(later)} overlaps exclusion ${
            written(earlier)
          } of another range in the same <portForward>, which passt 2023 rejects`,
          forward: f,
          range: overlap.later,
          other: { forward: f, range: overlap.earlier },
        });
      }
    }
    const holes = mergeIntervals(exclusions.map((p) => [p.start, p.end]));
    for (const overlap of findOverlaps(subtractIntervals(includes, holes))) {
      const later = forward.ranges[overlap.later] as PortRange;
      const earlier = forward.ranges[overlap.earlier] as PortRange;
      const laterText = portsText(
        later.start as number,
        later.end ?? (later.start as number),
      );
      problems.push({
        code: "overlap",
        severity: "error",
        message: `${proto} ${laterText} ${
          laterText.startsWith("ports") ? "overlap" : "overlaps"
        } ${
          portsText(
            earlier.start as number,
            earlier.end ?? (earlier.start as number),
          )
        } of another range in the same <portForward>`,
        forward: f,
        range: overlap.later,
        other: { forward: f, range: overlap.earlier },
      });
    }
    const effective = effectivePieces(forward, { target });
    pieces.push(effective);
    covers.push(isExclusionOnly(forward) ? effective : includes);
  });

  const groups = options?.groups;
  const groupOf = (f: number) => groups?.[f];
  // Only pairs that may clash, in the order of a loop over every pair: by
  // the later forward, then the earlier one.
  for (
    const [fa, fb] of candidatePairs(
      forwards,
      pieces,
      covers,
      groupOf,
      target,
    )
  ) {
    const a = forwards[fa] as PortForward;
    const b = forwards[fb] as PortForward;
    if (a.proto !== b.proto) continue;
    const sameGroup = groupOf(fa) === groupOf(fb);
    const problem = sameGroup
      ? clashInInterface(a, fa, b, fb, pieces, covers, target)
      : clashAcrossInterfaces(a, fa, b, fb, pieces, groupOf(fa));
    if (problem) problems.push(problem);
  }
  return problems.sort((x, y) =>
    x.forward - y.forward || (x.range ?? -1) - (y.range ?? -1)
  );
}

/** An interval of host ports of one forward, as the sweep sees it. */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly forward: number;
  /** Whether the span is part of a later forward's 2023 cover (see `clashInInterface`). */
  readonly cover: boolean;
  /** The classes of active spans this span joins. */
  readonly joins: readonly string[];
  /** The classes of active spans this span may clash with. */
  readonly meets: readonly string[];
}

/**
 * Calls `found` for every two spans that share a port where the one that
 * starts later meets a class the other joined. Spans are visited by start;
 * a class keeps the spans that have started, and drops one that ended once
 * it is next looked at. Cost: the sort, plus one step per span that a class
 * drops or `found` is called with.
 */
function sweep(
  spans: Span[],
  found: (earlier: Span, later: Span) => void,
): void {
  spans.sort((x, y) => x.start - y.start);
  const active = new Map<string, Span[]>();
  for (const span of spans) {
    for (const key of span.meets) {
      const list = active.get(key);
      if (!list) continue;
      for (let i = 0; i < list.length;) {
        const other = list[i] as Span;
        if (other.end < span.start) {
          // Starts come in order, so it will never share a port again.
          list[i] = list[list.length - 1] as Span;
          list.pop();
        } else {
          found(other, span);
          i++;
        }
      }
    }
    for (const key of span.joins) {
      const list = active.get(key);
      if (list) list.push(span);
      else active.set(key, [span]);
    }
  }
}

/** A small number for each distinct value (as `Map` tells values apart). */
function numbering<T>(): (value: T) => number {
  const ids = new Map<T, number>();
  return (value) => {
    let id = ids.get(value);
    if (id === undefined) ids.set(value, id = ids.size);
    return id;
  };
}

/**
 * The pairs `[earlier, later]` of forwards that `clashInInterface` or
 * `clashAcrossInterfaces` may report, sorted by `later`, then `earlier`: a
 * superset of the pairs they do report, found by sweeping over the host
 * ports instead of trying every pair: O(n log n) for n pieces, plus a step
 * for each two pieces that share ports and may clash.
 */
function candidatePairs(
  forwards: readonly PortForward[],
  pieces: readonly Piece[][],
  covers: readonly Piece[][],
  groupOf: (f: number) => string | number | undefined,
  target: "2023" | "2026",
): [number, number][] {
  const count = forwards.length;
  const keys = new Set<number>();
  const add = (x: number, y: number) => {
    if (x !== y) keys.add(Math.max(x, y) * count + Math.min(x, y));
  };
  const protoId = numbering<unknown>();
  const groupId = numbering<unknown>();
  // passt 2023: "all" clashes with every forward of its interface and protocol.
  const buckets = new Map<string, number[]>();
  const spans: Span[] = [];
  forwards.forEach((forward, f) => {
    const proto = protoId(forward.proto);
    const bucket = JSON.stringify([proto, groupId(groupOf(f))]);
    const address = addressKey(forward.address);
    // Sockets on two different devices do not clash; no device meets all.
    const dev = forward.dev || "";
    const key = (...parts: (string | number)[]) =>
      JSON.stringify([proto, ...parts]);

    // Across interfaces: addresses that overlap and devices that do not
    // keep the sockets apart. Pairs of one interface found here clash too.
    const joins = [
      key("x"),
      key("xa", address),
      key("xd", dev),
      key("xad", address, dev),
    ];
    let meets = address === "*"
      ? dev === "" ? [key("x")] : [key("xd", dev), key("xd", "")]
      : dev === ""
      ? [key("xa", address), key("xa", "*")]
      : [
        key("xad", address, dev),
        key("xad", address, ""),
        key("xad", "*", dev),
        key("xad", "*", ""),
      ];

    if (target === "2023") {
      const members = buckets.get(bucket);
      if (members) members.push(f);
      else buckets.set(bucket, [f]);
      if (forward.ranges.length > 0) {
        // The earlier forward's pieces against the later one's cover.
        joins.push(key("e", bucket));
        meets = [...meets, key("c", bucket)];
        const cover = mergeIntervals(
          (covers[f] as Piece[]).map((p) => [p.start, p.end]),
        );
        for (const [start, end] of cover) {
          spans.push({
            start,
            end,
            forward: f,
            cover: true,
            joins: [key("c", bucket)],
            meets: [key("e", bucket)],
          });
        }
      }
    } else {
      // passt 2026: the same port on overlapping addresses, any devices.
      joins.push(key("s", bucket), key("sa", bucket, address));
      meets = [
        ...meets,
        ...(address === "*"
          ? [key("s", bucket)]
          : [key("sa", bucket, address), key("sa", bucket, "*")]),
      ];
    }
    for (const piece of pieces[f] as Piece[]) {
      spans.push({
        start: piece.start,
        end: piece.end,
        forward: f,
        cover: false,
        joins,
        meets,
      });
    }
  });

  for (const members of buckets.values()) {
    for (const f of members) {
      if ((forwards[f] as PortForward).ranges.length > 0) continue;
      for (const other of members) add(f, other);
    }
  }
  sweep(spans, (earlier, later) => {
    if (earlier.cover === later.cover) add(earlier.forward, later.forward);
    else {
      // Only a later forward's cover counts.
      const [piece, cover] = later.cover ? [earlier, later] : [later, earlier];
      if (piece.forward < cover.forward) add(piece.forward, cover.forward);
    }
  });

  const sorted = Float64Array.from(keys).sort();
  return Array.from(sorted, (k) => {
    const later = Math.floor(k / count);
    return [k - later * count, later];
  });
}

/**
 * The problem for host ports `shared` that forward `b` also takes from the
 * earlier forward `a`; `by` names the earlier one's owner, `refusal` who
 * refuses the second rule and how.
 */
function sharedProblem(
  code: "overlap-across-forwards" | "overlap-across-interfaces",
  a: PortForward,
  fa: number,
  b: PortForward,
  fb: number,
  shared: Shared,
  by: string,
  refusal: string,
): PortProblem {
  return {
    code,
    severity: "error",
    message: `${b.proto} ${portsText(shared.start, shared.end)} ${where(b)} ${
      shared.start === shared.end ? "is" : "are"
    } also forwarded by ${by} ${where(a)}; ${refusal}`,
    forward: fb,
    ...(shared.b.range !== undefined ? { range: shared.b.range } : {}),
    other: {
      forward: fa,
      ...(shared.a.range !== undefined ? { range: shared.a.range } : {}),
    },
  };
}

function clashInInterface(
  a: PortForward,
  fa: number,
  b: PortForward,
  fb: number,
  pieces: readonly Piece[][],
  covers: readonly Piece[][],
  target: "2023" | "2026",
): PortProblem | undefined {
  const proto = b.proto;
  if (target === "2023") {
    const aAll = a.ranges.length === 0;
    const bAll = b.ranges.length === 0;
    if (aAll || bAll) {
      return {
        code: "overlap-across-forwards",
        severity: "error",
        message:
          `a ${proto} <portForward> without ranges ('all') cannot be combined with another ${proto} <portForward> of the same interface, which passt 2023 rejects ("Specific ports cannot be specified together with all/none/auto")`,
        forward: fb,
        other: { forward: fa },
      };
    }
    // passt: one bitmap per protocol; the later option's ranges
    // (excluded ports included) may not touch ports the earlier one forwards.
    const shared = firstShared(pieces[fa] as Piece[], covers[fb] as Piece[]);
    if (!shared) return undefined;
    return sharedProblem(
      "overlap-across-forwards",
      a,
      fa,
      b,
      fb,
      shared,
      "another <portForward>",
      `passt 2023 rejects a port given in two ${
        proto === "tcp" ? "-t" : "-u"
      } options even on different addresses ("Overlapping port specifier")`,
    );
  }
  if (!addressesOverlap(a.address, b.address)) return undefined;
  const shared = firstShared(pieces[fa] as Piece[], pieces[fb] as Piece[]);
  if (!shared) return undefined;
  return sharedProblem(
    "overlap-across-forwards",
    a,
    fa,
    b,
    fb,
    shared,
    "another <portForward>",
    'passt 2026 rejects two rules for the same port on overlapping addresses ("Forwarding configuration conflict")',
  );
}

function clashAcrossInterfaces(
  a: PortForward,
  fa: number,
  b: PortForward,
  fb: number,
  pieces: readonly Piece[][],
  groupA: string | number | undefined,
): PortProblem | undefined {
  if (!addressesOverlap(a.address, b.address)) return undefined;
  // Sockets bound to two different devices may share a port.
  if (a.dev && b.dev && a.dev !== b.dev) return undefined;
  const shared = firstShared(pieces[fa] as Piece[], pieces[fb] as Piece[]);
  if (!shared) return undefined;
  return sharedProblem(
    "overlap-across-interfaces",
    a,
    fa,
    b,
    fb,
    shared,
    `interface '${groupA}'`,
    `the kernel refuses the second passt's bind ("Address already in use")`,
  );
}
