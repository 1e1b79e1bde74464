/**
 * `deno bench`: the effective map of many ranges and 10,000 exclusions.
 * Cost should grow as n log n in the number of ranges and exclusions, not
 * with the number of ports the ranges span.
 */
import { checkForwards, effectiveMap, type PortRange } from "@passtkit/ports";

/** A small deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` included ranges of up to `width` ports and `exclusions` random exclusions. */
function ranges(n: number, width: number, exclusions: number): PortRange[] {
  const next = random(n * 31 + width);
  const out: PortRange[] = [];
  for (let i = 0; i < n; i++) {
    const start = 1 + Math.floor(next() * (65535 - width));
    const end = start + Math.floor(next() * width);
    out.push({
      start,
      end,
      to: 1 + Math.floor(next() * (65535 - (end - start))),
    });
  }
  for (let i = 0; i < exclusions; i++) {
    const start = 1 + Math.floor(next() * 65530);
    out.push({ start, end: start + Math.floor(next() * 5), exclude: true });
  }
  return out;
}

for (const n of [10, 1000, 65535]) {
  const forward = { proto: "tcp" as const, ranges: ranges(n, 8, 10000) };
  Deno.bench({
    name: `effectiveMap: ${n} ranges + 10,000 exclusions`,
    group: "ranges",
    baseline: n === 10,
    fn: () => {
      effectiveMap(forward);
    },
  });
}

for (const width of [1, 1000, 60000]) {
  const forward = { proto: "tcp" as const, ranges: ranges(1000, width, 0) };
  Deno.bench({
    name: `effectiveMap: 1,000 ranges of up to ${width} ports`,
    group: "width",
    baseline: width === 1,
    fn: () => {
      effectiveMap(forward);
    },
  });
}

const seedLike = {
  proto: "tcp" as const,
  ranges: [
    { start: 2022, to: 22 },
    { start: 5000, end: 5099, to: 1000 },
    { start: 5010, end: 5029, exclude: true },
  ],
};
Deno.bench("effectiveMap: the seed's 3 ranges", { group: "small" }, () => {
  effectiveMap(seedLike);
});
Deno.bench("checkForwards: 1,000 ranges + 10,000 exclusions", {
  group: "small",
}, () => {
  checkForwards([{ proto: "tcp", ranges: ranges(1000, 8, 10000) }]);
});
