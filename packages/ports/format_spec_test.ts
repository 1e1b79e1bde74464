import assert from "node:assert/strict";
import {
  canonicalSpec,
  formatForward,
  formatSpec,
  type PortRange,
} from "./mod.ts";

const SEED: PortRange[] = [
  { start: 2022, to: 22 },
  { start: 5000, end: 5099, to: 1000 },
  { start: 5010, end: 5029, exclude: true },
];

// libvirt's rendering of <range> elements into one passt spec.
const CASES: [
  string,
  PortRange[],
  { address?: string; dev?: string },
  string,
][] = [
  ["single mapped port", [{ start: 2022, to: 22 }], {}, "2022:22"],
  [
    "toEnd = end + to - start",
    [{ start: 5000, end: 5099, to: 1000 }],
    {},
    "5000-5099:1000-1099",
  ],
  ["exclusion", [{ start: 5010, end: 5029, exclude: true }], {}, "~5010-5029"],
  ["exclude='no' renders nothing", [{ start: 80, exclude: false }], {}, "80"],
  [
    "seed with address and dev",
    SEED,
    { address: "10.0.0.1", dev: "eth0" },
    "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
  ],
  [
    "RHEL documentation example",
    [{ start: 5000, end: 5020, to: 6000 }, {
      start: 5010,
      end: 5015,
      exclude: true,
    }],
    { address: "1.2.3.4" },
    "1.2.3.4/5000-5020:6000-6020,~5010-5015",
  ],
  ["no ranges", [], {}, "all"],
  ["no ranges with address", [], { address: "1.2.3.4" }, "1.2.3.4/all"],
  ["dev without address", [{ start: 80 }], { dev: "eth0" }, "%eth0/80"],
  ["IPv6 bare", [{ start: 22 }], { address: "2001:db8::1" }, "2001:db8::1/22"],
  [
    "IPv6 with dev",
    [{ start: 22 }],
    { address: "2001:db8::1", dev: "eth0" },
    "2001:db8::1%eth0/22",
  ],
  ["range without start renders 0", [{}], {}, "0"],
  ["end without to", [{ start: 10, end: 10 }], {}, "10-10"],
  ["values written as they are", [{ start: 70000, end: 5 }], {}, "70000-5"],
];

for (const [name, ranges, options, expected] of CASES) {
  Deno.test(`formatSpec() renders as libvirt does: ${name}`, () => {
    assert.equal(formatSpec(ranges, options), expected);
  });
}

Deno.test("formatForward() uses the forward's address and dev", () => {
  assert.equal(
    formatForward({
      proto: "tcp",
      address: "10.0.0.1",
      dev: "eth0",
      ranges: SEED,
    }),
    "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
  );
  assert.equal(
    formatForward({ proto: "udp", ranges: [{ start: 10101 }] }),
    "10101",
  );
});

Deno.test("canonicalSpec() writes the shortest form", () => {
  const interval = (hs: number, he: number, gs: number) => ({
    hostStart: hs,
    hostEnd: he,
    guestStart: gs,
    guestEnd: gs + he - hs,
  });
  assert.equal(canonicalSpec([]), "none");
  assert.equal(
    canonicalSpec([interval(80, 80, 80)], { address: "::1" }),
    "::1/80",
  );
  // Two separate items are shorter than one range with a big exclusion.
  assert.equal(canonicalSpec([interval(1, 1, 1), interval(3, 3, 3)]), "1,3");
  // A range with one exclusion is shorter than two mapped items.
  assert.equal(
    canonicalSpec([interval(5000, 5009, 1000), interval(5030, 5099, 1030)], {
      dev: "eth0",
    }),
    "%eth0/5000-5099:1000-1099,~5010-5029",
  );
  // Unmerged input is merged first.
  assert.equal(
    canonicalSpec([interval(10, 19, 10), interval(20, 29, 20)]),
    "10-29",
  );
  // Different offsets are never grouped.
  assert.equal(
    canonicalSpec([interval(10, 19, 110), interval(25, 30, 25)]),
    "10-19:110-119,25-30",
  );
});
