import assert from "node:assert/strict";
import fc from "fast-check";
import { effectiveMap, guestPortFor, hostPortsFor } from "./mod.ts";
import type { PortForward, PortRange } from "./mod.ts";
import {
  anyRangeArb,
  bruteTable,
  hostList,
  tableToMap,
  validForwardArb,
} from "./_brute_force_test.ts";

const SEED: PortRange[] = [
  { start: 2022, to: 22 },
  { start: 5000, end: 5099, to: 1000 },
  { start: 5010, end: 5029, exclude: true },
];

Deno.test("effectiveMap() gives the seed's host and guest intervals", () => {
  assert.deepEqual(
    effectiveMap({
      proto: "tcp",
      address: "10.0.0.1",
      dev: "eth0",
      ranges: SEED,
    }),
    [
      { hostStart: 2022, hostEnd: 2022, guestStart: 22, guestEnd: 22 },
      { hostStart: 5000, hostEnd: 5009, guestStart: 1000, guestEnd: 1009 },
      { hostStart: 5030, hostEnd: 5099, guestStart: 1030, guestEnd: 1099 },
    ],
  );
});

// Measured on the real passt: the host ports it listened on.
const PROBE_ROWS: {
  name: string;
  ranges: PortRange[];
  target?: "2023" | "2026";
  listened: string;
}[] = [
  {
    name: "single port with mapping",
    ranges: [{ start: 40022, to: 22 }],
    listened: "40022",
  },
  {
    name: "seed spec with 127.0.0.1",
    ranges: SEED,
    listened: "2022,5000-5009,5030-5099",
  },
  {
    name: "range",
    ranges: [{ start: 40000, end: 40009 }],
    listened: "40000-40009",
  },
  {
    name: "range mapped to range",
    ranges: [{ start: 40000, end: 40009, to: 50000 }],
    listened: "40000-40009",
  },
  {
    name: "range minus exclusion",
    ranges: [{ start: 40000, end: 40019 }, {
      start: 40005,
      end: 40009,
      exclude: true,
    }],
    listened: "40000-40004,40010-40019",
  },
  {
    name: "exclusion before range",
    ranges: [{ start: 40005, exclude: true }, { start: 40000, end: 40009 }],
    listened: "40000-40004,40006-40009",
  },
  {
    name: "list",
    ranges: [{ start: 40000 }, { start: 40002 }, { start: 40004, to: 40104 }],
    listened: "40000,40002,40004",
  },
  { name: "port 65535", ranges: [{ start: 65535 }], listened: "65535" },
  {
    name: "exclude-only, wildcard (2023, random port not modelled)",
    ranges: [{ start: 1, end: 45000, exclude: true }],
    listened: "45001-49151",
  },
  {
    name: "exclude-only with address (2023)",
    ranges: [{ start: 1, end: 49000, exclude: true }],
    listened: "49001-49151",
  },
  {
    name: "exclusion-only, address (2023)",
    ranges: [{ start: 1, end: 44999, exclude: true }],
    listened: "45000-49151",
  },
  {
    name: "exclude-only, wildcard (2026)",
    ranges: [{ start: 1, end: 45000, exclude: true }],
    target: "2026",
    listened: "61000-65535",
  },
  {
    name: "overlapping exclusions (2026)",
    ranges: [
      { start: 40000, end: 40009 },
      { start: 40005, exclude: true },
      { start: 40005, exclude: true },
    ],
    target: "2026",
    listened: "40000-40004,40006-40009",
  },
];

for (const row of PROBE_ROWS) {
  Deno.test(`effectiveMap() matches the probe matrix: ${row.name}`, () => {
    const map = effectiveMap({ proto: "tcp", ranges: row.ranges }, {
      target: row.target,
    });
    assert.equal(hostList(map), row.listened);
  });
}

Deno.test("effectiveMap() covers 1-49151 for no ranges in 2023 and skips the ephemeral range in 2026", () => {
  assert.deepEqual(effectiveMap({ proto: "udp", ranges: [] }), [
    { hostStart: 1, hostEnd: 49151, guestStart: 1, guestEnd: 49151 },
  ]);
  assert.equal(
    hostList(effectiveMap({ proto: "udp", ranges: [] }, { target: "2026" })),
    "1-32767,61000-65535",
  );
});

Deno.test("effectiveMap() skips invalid ranges and lets the first of two overlapping ranges win", () => {
  const map = effectiveMap({
    proto: "tcp",
    ranges: [
      { start: 70000 },
      { start: 100, end: 90 },
      { start: 10, end: 20, to: 1010 },
      { start: 15, end: 25, to: 2015 },
      { start: 65535, end: 65535, to: 65535 },
      { start: 30, exclude: true, to: 40 },
    ],
  });
  assert.deepEqual(map, [
    { hostStart: 10, hostEnd: 20, guestStart: 1010, guestEnd: 1020 },
    { hostStart: 21, hostEnd: 25, guestStart: 2021, guestEnd: 2025 },
    { hostStart: 65535, hostEnd: 65535, guestStart: 65535, guestEnd: 65535 },
  ]);
});

Deno.test("effectiveMap() merges adjacent ranges whose guest ports continue, and only those", () => {
  assert.deepEqual(
    effectiveMap({
      proto: "tcp",
      ranges: [
        { start: 10, end: 19, to: 110 },
        { start: 20, end: 29, to: 120 },
        {
          start: 30,
          to: 500,
        },
      ],
    }),
    [
      { hostStart: 10, hostEnd: 29, guestStart: 110, guestEnd: 129 },
      { hostStart: 30, hostEnd: 30, guestStart: 500, guestEnd: 500 },
    ],
  );
});

Deno.test("guestPortFor() and hostPortsFor() answer the seed's lookups", () => {
  const map = effectiveMap({ proto: "tcp", ranges: SEED });
  assert.equal(guestPortFor(map, 5050), 1050);
  assert.equal(guestPortFor(map, 5015), undefined);
  assert.equal(guestPortFor(map, 2022), 22);
  assert.deepEqual(hostPortsFor(map, 1050), [5050]);
  assert.deepEqual(hostPortsFor(map, 1015), []);
  assert.deepEqual(hostPortsFor(map, 22), [2022]);
});

function bruteHosts(table: Int32Array, guest: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < 65536; p++) if (table[p] === guest) out.push(p);
  return out;
}

Deno.test("effectiveMap() equals the brute-force table for random valid ranges and exclusions", () => {
  fc.assert(
    fc.property(
      validForwardArb(),
      fc.constantFrom("2023" as const, "2026" as const),
      (forward, target) => {
        assert.deepEqual(
          effectiveMap(forward, { target }),
          tableToMap(bruteTable(forward, target)),
        );
      },
    ),
    { numRuns: 1500 },
  );
});

Deno.test("effectiveMap() equals the brute-force table for random, partly invalid ranges", () => {
  fc.assert(
    fc.property(fc.array(anyRangeArb(), { maxLength: 10 }), (ranges) => {
      const forward: PortForward = { proto: "udp", ranges };
      assert.deepEqual(effectiveMap(forward), tableToMap(bruteTable(forward)));
    }),
    { numRuns: 1500 },
  );
});

Deno.test("guestPortFor() and hostPortsFor() agree with the brute-force table", () => {
  fc.assert(
    fc.property(
      validForwardArb(),
      fc.array(fc.integer({ min: 0, max: 400 }), {
        minLength: 1,
        maxLength: 20,
      }),
      (forward, ports) => {
        const map = effectiveMap(forward);
        const table = bruteTable(forward);
        for (const port of ports) {
          const expected = table[port] as number;
          assert.equal(
            guestPortFor(map, port),
            expected < 0 ? undefined : expected,
          );
        }
        for (const port of ports.slice(0, 3)) {
          assert.deepEqual(hostPortsFor(map, port), bruteHosts(table, port));
        }
      },
    ),
    { numRuns: 800 },
  );
});
