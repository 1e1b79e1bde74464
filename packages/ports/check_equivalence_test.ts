/**
 * `checkForwards()` against a copy of its earlier pairwise algorithm, which
 * compared every two forwards. The copy below is the reference (test only);
 * the library now finds the clashing pairs with a sweep.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  checkForwards,
  type CheckOptions,
  type PortForward,
  type PortProblem,
  type PortRange,
} from "./mod.ts";
import { addressesOverlap, mappedIPv4, parseIPv6 } from "./_address.ts";
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

// ---- The reference: checkForwards() as it was, comparing every pair. ----

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
      if (issue.value !== 0 || issue.attribute === "end") {
        return `${proto} ${issue.attribute} port ${issue.value} is not a valid port (ports start at 1)`;
      }
      if (target === "2026") {
        return `${proto} ${issue.attribute} port 0 is refused by passt 2026 ("Forwarding rule attempts to map ${
          issue.attribute === "to" ? "to" : "from"
        } port 0")`;
      }
      return issue.attribute === "start"
        ? `${proto} port 0 makes passt 2023 bind a random port`
        : `${proto} to port 0 is accepted by passt 2023, but no guest service can listen on port 0`;
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

function where(forward: PortForward): string {
  const address = forward.address ? `on ${forward.address}` : "on any address";
  return forward.dev ? `${address} via ${forward.dev}` : address;
}

/** The first port shared by sorted, disjoint `a` and any `b`, with the pieces holding it. */
function firstShared(
  a: readonly Piece[],
  b: readonly Piece[],
): { start: number; end: number; a: Piece; b: Piece } | undefined {
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

/** `checkForwards` as of the pairwise version: every pair of forwards. */
function referenceCheckForwards(
  forwards: readonly PortForward[],
  options?: CheckOptions,
): PortProblem[] {
  const target = options?.target ?? "2023";
  const problems: PortProblem[] = [];
  const pieces: Piece[][] = [];

  forwards.forEach((forward, f) => {
    const proto = forward.proto;
    if (target === "2023") {
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
        problems.push({
          code: "mapped-address",
          severity: "error",
          message:
            `the ${proto} <portForward> address '${forward.address}' is IPv4-mapped, which passt 2023 cannot bind ("Failed to bind any port"); use ${mapped}`,
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
    pieces.push(effectivePieces(forward, { target }));
  });

  const groups = options?.groups;
  const groupOf = (f: number) => groups?.[f];
  forwards.forEach((b, fb) => {
    for (let fa = 0; fa < fb; fa++) {
      const a = forwards[fa] as PortForward;
      if (a.proto !== b.proto) continue;
      const sameGroup = groupOf(fa) === groupOf(fb);
      const problem = sameGroup
        ? clashInInterface(a, fa, b, fb, pieces, target)
        : clashAcrossInterfaces(a, fa, b, fb, pieces, groupOf(fa));
      if (problem) problems.push(problem);
    }
  });
  return problems.sort((x, y) =>
    x.forward - y.forward || (x.range ?? -1) - (y.range ?? -1)
  );
}

function includePieces(forward: PortForward): Piece[] {
  const out: Piece[] = [];
  forward.ranges.forEach((range, r) => {
    const valid = validRange(range);
    if (valid && !valid.exclude) {
      out.push({ start: valid.start, end: valid.end, delta: 0, range: r });
    }
  });
  return out;
}

function sharedText(start: number, end: number): string {
  return portsText(start, end);
}

function clashInInterface(
  a: PortForward,
  fa: number,
  b: PortForward,
  fb: number,
  pieces: readonly Piece[][],
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
    const cover = isExclusionOnly(b)
      ? (pieces[fb] as Piece[])
      : includePieces(b);
    const shared = firstShared(pieces[fa] as Piece[], cover);
    if (!shared) return undefined;
    return {
      code: "overlap-across-forwards",
      severity: "error",
      message: `${proto} ${sharedText(shared.start, shared.end)} ${where(b)} ${
        shared.start === shared.end ? "is" : "are"
      } also forwarded by another <portForward> ${
        where(a)
      }; passt 2023 rejects a port given in two ${
        proto === "tcp" ? "-t" : "-u"
      } options even on different addresses ("Overlapping port specifier")`,
      forward: fb,
      ...(shared.b.range !== undefined ? { range: shared.b.range } : {}),
      other: {
        forward: fa,
        ...(shared.a.range !== undefined ? { range: shared.a.range } : {}),
      },
    };
  }
  if (!addressesOverlap(a.address, b.address)) return undefined;
  const shared = firstShared(pieces[fa] as Piece[], pieces[fb] as Piece[]);
  if (!shared) return undefined;
  return {
    code: "overlap-across-forwards",
    severity: "error",
    message: `${proto} ${sharedText(shared.start, shared.end)} ${where(b)} ${
      shared.start === shared.end ? "is" : "are"
    } also forwarded by another <portForward> ${
      where(a)
    }; passt 2026 rejects two rules for the same port on overlapping addresses ("Forwarding configuration conflict")`,
    forward: fb,
    ...(shared.b.range !== undefined ? { range: shared.b.range } : {}),
    other: {
      forward: fa,
      ...(shared.a.range !== undefined ? { range: shared.a.range } : {}),
    },
  };
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
  const proto = b.proto;
  return {
    code: "overlap-across-interfaces",
    severity: "error",
    message: `${proto} ${sharedText(shared.start, shared.end)} ${where(b)} ${
      shared.start === shared.end ? "is" : "are"
    } also forwarded by interface '${groupA}' ${
      where(a)
    }; the kernel refuses the second passt's bind ("Address already in use")`,
    forward: fb,
    ...(shared.b.range !== undefined ? { range: shared.b.range } : {}),
    other: {
      forward: fa,
      ...(shared.a.range !== undefined ? { range: shared.a.range } : {}),
    },
  };
}

// ---- Random inputs: few ports, few addresses, so that forwards clash. ----

/** Ports near each other, at the edges of "all ports", and a few invalid ones. */
const portArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(32767, 32768, 49151, 49152, 60999, 61000, 65535),
  },
  { weight: 1, arbitrary: fc.constantFrom(0, -3, 1.5, 65536, 70000) },
);

const rangeArb: fc.Arbitrary<PortRange> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      start: portArb,
      end: fc.option(
        fc.oneof(
          fc.integer({ min: 0, max: 12 }),
          fc.constantFrom(-1, 40000, 60000),
        ),
        { nil: undefined },
      ),
      to: fc.option(fc.oneof(portArb, fc.constantFrom(100, 65530)), {
        nil: undefined,
      }),
      exclude: fc.constantFrom(undefined, true, true, false),
    }, { requiredKeys: ["start"] }).map(({ start, end, to, exclude }) => ({
      start,
      // `end` is written as an offset from `start`, so that ranges overlap.
      ...(end === undefined
        ? {}
        : { end: end > 12 ? Math.max(end, start) : start + end }),
      ...(to === undefined ? {} : { to }),
      ...(exclude === undefined ? {} : { exclude }),
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<PortRange>(
      { start: 1, end: 65535 },
      { start: 30000, end: 62000 },
      { start: 20, end: 49200, exclude: true },
      { end: 5 },
      {},
      { to: 8 },
    ),
  },
);

const addressArb = fc.constantFrom(
  undefined,
  "",
  "*",
  "0.0.0.0",
  "::",
  "[::]",
  "127.0.0.1",
  "10.0.0.1",
  "::1",
  "[::1]",
  "0:0:0:0:0:0:0:1",
  "::ffff:127.0.0.1",
  "fe80::1",
  "not-an-address",
);

const devArb = fc.constantFrom(
  undefined,
  undefined,
  "",
  "eth0",
  "eth0",
  "eth1",
  "an-interface-name",
);

const forwardArb: fc.Arbitrary<PortForward> = fc.record({
  proto: fc.constantFrom("tcp" as const, "udp" as const),
  address: addressArb,
  dev: devArb,
  ranges: fc.oneof(
    { weight: 6, arbitrary: fc.array(rangeArb, { maxLength: 6 }) },
    // No ranges: all ports.
    { weight: 1, arbitrary: fc.constant([]) },
    // Only exclusions: all ports except those.
    {
      weight: 2,
      arbitrary: fc.array(
        rangeArb.map((range) => ({ ...range, exclude: true })),
        { minLength: 1, maxLength: 4 },
      ),
    },
  ),
}).map(({ proto, address, dev, ranges }) => ({
  proto,
  ...(address === undefined ? {} : { address }),
  ...(dev === undefined ? {} : { dev }),
  ranges,
}));

/** Forwards and options: one interface, or groups (possibly too few of them). */
function inputArb(
  maxForwards: number,
): fc.Arbitrary<[PortForward[], CheckOptions | undefined]> {
  return fc.array(forwardArb, { maxLength: maxForwards, size: "max" }).chain((
    forwards,
  ) =>
    fc.tuple(
      fc.constant(forwards),
      fc.option(
        fc.record({
          target: fc.constantFrom(undefined, "2023" as const, "2026" as const),
          groups: fc.option(
            fc.array(fc.constantFrom("net0", "net1", "net2", 0, 1, "0"), {
              minLength: Math.max(0, forwards.length - 2),
              maxLength: forwards.length,
            }),
            { nil: undefined },
          ),
        }).map(({ target, groups }) => ({
          ...(target === undefined ? {} : { target }),
          ...(groups === undefined ? {} : { groups }),
        })),
        { nil: undefined },
      ),
    )
  );
}

function assertSame(
  forwards: PortForward[],
  options: CheckOptions | undefined,
): void {
  // The random-port warning and spec-too-long came after the pairwise
  // algorithm; they are checked in check_test.ts.
  assert.deepEqual(
    checkForwards(forwards, options).filter((p) =>
      p.code !== "random-port" && p.code !== "spec-too-long"
    ),
    referenceCheckForwards(forwards, options),
  );
}

Deno.test("the random inputs clash in every way the pairwise check knows", () => {
  const counts = new Map<string, number>();
  for (const [forwards, options] of fc.sample(inputArb(12), 1000)) {
    const seen = new Set(
      referenceCheckForwards(forwards, options).map((p) =>
        `${options?.target ?? "2023"} ${p.code} ${
          p.message.includes("('all')") ? "all" : ""
        }`
      ),
    );
    for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (
    const key of [
      "2023 overlap-across-forwards all",
      "2023 overlap-across-forwards ",
      "2026 overlap-across-forwards ",
      "2023 overlap-across-interfaces ",
      "2026 overlap-across-interfaces ",
    ]
  ) {
    assert.ok((counts.get(key) ?? 0) >= 20, `${key}: ${counts.get(key)}`);
  }
});

Deno.test("checkForwards() reports the same as the pairwise check for random forwards", () => {
  fc.assert(
    fc.property(inputArb(12), ([forwards, options]) => {
      assertSame(forwards, options);
    }),
    { numRuns: 4000 },
  );
});

Deno.test("checkForwards() reports the same as the pairwise check for many forwards at once", () => {
  fc.assert(
    fc.property(inputArb(60), ([forwards, options]) => {
      assertSame(forwards, options);
    }),
    { numRuns: 1000 },
  );
});

Deno.test("checkForwards() reports the same as the pairwise check for forwards on many addresses", () => {
  // Each forward on an address and device of its own, or on any address.
  const spread = fc.array(
    fc.tuple(forwardArb, fc.integer({ min: 0, max: 30 }), fc.nat(3)),
    { maxLength: 60, size: "max" },
  ).map((items) =>
    items.map(([forward, host, dev]) => ({
      ...forward,
      ...(host === 0 ? {} : { address: `10.0.0.${host}` }),
      ...(dev === 0 ? {} : { dev: `eth${dev}` }),
    }))
  );
  fc.assert(
    fc.property(
      spread,
      fc.constantFrom("2023" as const, "2026" as const),
      fc.nat(4),
      (forwards, target, groups) => {
        assertSame(forwards, {
          target,
          groups: forwards.map((_, i) => i % (groups + 1)),
        });
      },
    ),
    { numRuns: 1000 },
  );
});
