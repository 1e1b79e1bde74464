import assert from "node:assert/strict";
import fc from "fast-check";
import {
  canonicalSpec,
  effectiveMap,
  formatForward,
  type MapInterval,
  parseSpec,
  PortSpecError,
} from "./mod.ts";
import {
  bruteTable,
  hostList,
  tableToMap,
  validForwardArb,
} from "./_brute_force_test.ts";

type Row = [
  name: string,
  spec: string,
  debian2023: string,
  upstream2026: string,
];

// Measured on the real passt, both versions. A port list is what passt
// listened on; "rejected" means passt exited 1 on the spec itself. Cases that
// failed only at bind time (address not local, busy port, fds) are accepted here.
const MATRIX: Row[] = [
  ["single port, mapped", "127.0.0.1/40022:22", "40022", "40022"],
  [
    "seed spec",
    "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
    "2022,5000-5009,5030-5099",
    "2022,5000-5009,5030-5099",
  ],
  [
    "seed spec with 127.0.0.1",
    "127.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
    "2022,5000-5009,5030-5099",
    "2022,5000-5009,5030-5099",
  ],
  ["range", "127.0.0.1/40000-40009", "40000-40009", "40000-40009"],
  [
    "range to range",
    "127.0.0.1/40000-40009:50000-50009",
    "40000-40009",
    "40000-40009",
  ],
  [
    "range minus exclusion",
    "127.0.0.1/40000-40019,~40005-40009",
    "40000-40004,40010-40019",
    "40000-40004,40010-40019",
  ],
  [
    "exclusion first",
    "127.0.0.1/~40005,40000-40009",
    "40000-40004,40006-40009",
    "40000-40004,40006-40009",
  ],
  [
    "list",
    "127.0.0.1/40000,40002,40004:40104",
    "40000,40002,40004",
    "40000,40002,40004",
  ],
  ["IPv6", "::1/40022:22", "40022", "40022"],
  ["IPv6 in brackets", "[::1]/40022:22", "rejected", "40022"],
  ["IPv4 in brackets", "[127.0.0.1]/40022:22", "rejected", "40022"],
  ["v4-mapped", "::ffff:127.0.0.1/40022", "rejected", "40022"],
  ["interface", "127.0.0.1%lo/40022:22", "40022", "40022"],
  ["IPv6 + interface", "::1%lo/40022", "40022", "40022"],
  [
    "interface name 16 chars",
    "127.0.0.1%abcdefghijklmnop/40022",
    "rejected",
    "rejected",
  ],
  [
    "interface name 13 chars",
    "127.0.0.1%abcdefghijklm/40022",
    "rejected",
    "40022",
  ],
  ["interface name 12 chars", "127.0.0.1%abcdefghijkl/40022", "40022", "40022"],
  ["empty interface name", "127.0.0.1%/40031", "40031", "40031"],
  ["empty address", "/40032", "rejected", "40032"],
  ["interface without address", "%lo/40022", "rejected", "40022"],
  ["'*' address", "*/40022", "rejected", "40022"],
  ["no address", "40022:22", "40022", "40022"],
  [
    "overlap inside one spec",
    "127.0.0.1/40000-40009,40005",
    "rejected",
    "rejected",
  ],
  [
    "overlapping exclusions",
    "127.0.0.1/40000-40009,~40005,~40005",
    "rejected",
    "40000-40004,40006-40009",
  ],
  ["UDP mapping", "127.0.0.1/40053:53", "40053", "40053"],
  ["none", "none", "", ""],
  ["auto", "auto", "rejected", "rejected"],
  ["all", "all", "1-49151", "1-32767,61000-65535"],
  ["ADDR/all", "127.0.0.1/all", "rejected", "1-32767,61000-65535"],
  ["exclusion-only", "~1-45000", "45001-49151", "61000-65535"],
  [
    "exclusion-only with address",
    "127.0.0.1/~1-49000",
    "49001-49151",
    "61000-65535",
  ],
  ["port 0", "127.0.0.1/0", "", "rejected"],
  ["map to port 0", "127.0.0.1/40022:0", "", "rejected"],
  ["65535", "127.0.0.1/65535", "65535", "65535"],
  ["65536", "127.0.0.1/65536", "rejected", "rejected"],
  ["reversed range", "127.0.0.1/40010-40000", "rejected", "rejected"],
  ["length mismatch", "40000-40009:50000-50004", "rejected", "rejected"],
  ["range to single", "40000-40009:50000", "rejected", "rejected"],
  ["single to range", "40000:50000-50009", "rejected", "rejected"],
  [
    "mapping overflows 65535",
    "40000-40009:65530-65539",
    "rejected",
    "rejected",
  ],
  ["empty list", "127.0.0.1/", "rejected", "rejected"],
  ["trailing comma", "40022,", "rejected", "rejected"],
  ["trailing colon", "40022:", "rejected", "rejected"],
  ["dangling dash", "40022-", "rejected", "rejected"],
  ["leading space", "127.0.0.1/ 40022", "40022", "40022"],
  ["plus sign", "127.0.0.1/+40022", "40022", "40022"],
  ["hex", "127.0.0.1/0x9c56", "rejected", "rejected"],
  ["hostname", "localhost/40022", "rejected", "rejected"],
  ["two slashes", "127.0.0.1/40022/40023", "rejected", "rejected"],
  ["garbage", "127.0.0.1/abc", "rejected", "rejected"],
  ["low port", "127.0.0.1/81:80", "81", "81"],
  ["ranges + auto", "127.0.0.1/40000-40009,auto", "rejected", "rejected"],
  ["all plus exclusions", "127.0.0.1/all,~1-44999", "rejected", "61000-65535"],
  [
    "all with target address",
    "127.0.0.1/all:192.0.2.5",
    "rejected",
    "rejected",
  ],
  ["target address", "127.0.0.1/40022:192.0.2.5/22", "rejected", "rejected"],
];

for (const [name, spec, ...expected] of MATRIX) {
  for (
    const [target, want] of [["2023", expected[0]], [
      "2026",
      expected[1],
    ]] as const
  ) {
    Deno.test(`parseSpec() with passt ${target} matches the probe matrix: ${name}`, () => {
      if (want === "rejected") {
        assert.throws(() => parseSpec(spec, { target }), PortSpecError);
        return;
      }
      const parsed = parseSpec(spec, { target });
      const map = parsed.mode === "none"
        ? []
        : effectiveMap(parsed.forward, { target });
      assert.equal(hostList(map), want);
    });
  }
}

Deno.test("parseSpec() reads the address, device and XML-style ranges", () => {
  assert.deepEqual(
    parseSpec("10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029", {
      proto: "udp",
    }),
    {
      mode: "ports",
      forward: {
        proto: "udp",
        address: "10.0.0.1",
        dev: "eth0",
        ranges: [
          { start: 2022, to: 22 },
          { start: 5000, end: 5099, to: 1000 },
          { start: 5010, end: 5029, exclude: true },
        ],
      },
    },
  );
  assert.deepEqual(parseSpec("[::1]%lo/22", { target: "2026" }).forward, {
    proto: "tcp",
    address: "::1",
    dev: "lo",
    ranges: [{ start: 22 }],
  });
  assert.deepEqual(parseSpec("*%lo/22", { target: "2026" }).forward, {
    proto: "tcp",
    dev: "lo",
    ranges: [{ start: 22 }],
  });
  assert.deepEqual(
    parseSpec("::ffff:127.0.0.1/22", { target: "2026" }).forward.address,
    "127.0.0.1",
  );
  assert.equal(parseSpec("none").mode, "none");
  assert.equal(parseSpec("all").mode, "all");
});

Deno.test("parseSpec() errors quote the spec and point at the bad item", () => {
  const cases: [string, number, string, string][] = [
    [
      "127.0.0.1/40010-40000",
      10,
      "40010-40000",
      "range '40010-40000' ends before it starts",
    ],
    ["40022,", 6, "", "the item at offset 6 is empty (a comma too many)"],
    [
      "127.0.0.1/40000-40009:50000-50004",
      10,
      "40000-40009:50000-50004",
      "'40000-40009:50000-50004' maps 10 ports onto 5",
    ],
    ["127.0.0.1/65536", 10, "65536", "port 65536 in '65536' is above 65535"],
    [
      "localhost/40022",
      0,
      "localhost",
      "'localhost' is not an IPv4 or IPv6 address",
    ],
    [
      "127.0.0.1/40022/40023",
      10,
      "40022/40023",
      "unexpected '/40023' in '40022/40023'",
    ],
    [
      "1,2,40000-40009,40005",
      16,
      "40005",
      "'40005' forwards port 40005 that '40000-40009' already forwards",
    ],
    [
      "40000-40009,~40005,~40005",
      19,
      "~40005",
      "exclusion '~40005' overlaps exclusion '~40005' (passt 2023 rejects overlapping exclusions)",
    ],
    ["127.0.0.1/0x9c56", 10, "0x9c56", "unexpected 'x9c56' in '0x9c56'"],
    [
      "%lo/40022",
      0,
      "",
      "an interface without an address ('%IF/') is not accepted by passt 2023",
    ],
  ];
  for (const [spec, offset, item, reason] of cases) {
    assert.throws(() => parseSpec(spec), (error: unknown) => {
      assert.ok(error instanceof PortSpecError);
      assert.ok(error instanceof SyntaxError);
      assert.equal(error.name, "PortSpecError");
      assert.equal(error.message, `Invalid port spec '${spec}': ${reason}`);
      assert.equal(error.offset, offset);
      assert.equal(error.item, item);
      assert.equal(error.spec, spec);
      return true;
    });
  }
});

Deno.test("parseSpec() reads the ranges of a spec the same way as the brute-force model", () => {
  fc.assert(
    fc.property(
      validForwardArb(1, 300),
      fc.constantFrom("2023" as const, "2026" as const),
      (forward, target) => {
        const spec = formatForward(forward);
        let parsed;
        try {
          parsed = parseSpec(spec, { target });
        } catch (error) {
          // Only overlaps make a generated spec invalid; the model must agree.
          assert.ok(error instanceof PortSpecError);
          assert.match(error.message, /already forwards|overlaps exclusion/);
          return;
        }
        assert.deepEqual(parsed.forward.ranges, forward.ranges);
        assert.deepEqual(
          effectiveMap(parsed.forward, { target }),
          tableToMap(bruteTable(forward, target)),
        );
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("render(parse(s)) and canonicalSpec() mean the same map as s", () => {
  fc.assert(
    fc.property(
      validForwardArb(1, 300),
      fc.constantFrom("2023" as const, "2026" as const),
      (forward, target) => {
        const spec = formatForward(forward);
        let parsed;
        try {
          parsed = parseSpec(spec, { target });
        } catch {
          return;
        }
        const map = effectiveMap(parsed.forward, { target });
        const again = parseSpec(formatForward(parsed.forward), { target });
        assert.deepEqual(effectiveMap(again.forward, { target }), map);
        const canonical = canonicalSpec(map);
        if (map.length === 0) {
          assert.equal(canonical, "none");
          return;
        }
        for (const t of ["2023", "2026"] as const) {
          assert.deepEqual(
            effectiveMap(parseSpec(canonical, { target: t }).forward, {
              target: t,
            }),
            map,
          );
        }
        assert.ok(canonical.length <= canonicalLengthBound(map));
      },
    ),
    { numRuns: 1000 },
  );
});

/** The length of the plain one-item-per-interval form, which canonicalSpec() must not exceed. */
function canonicalLengthBound(map: readonly MapInterval[]): number {
  const text = (a: number, b: number) => (a === b ? `${a}` : `${a}-${b}`);
  return map.map((i) =>
    text(i.hostStart, i.hostEnd) +
    (i.guestStart === i.hostStart ? "" : `:${text(i.guestStart, i.guestEnd)}`)
  ).join(",").length;
}
