import assert from "node:assert/strict";
import { checkForwards, type PortForward, type PortProblem } from "./mod.ts";

function only(
  problems: PortProblem[],
): Pick<PortProblem, "code" | "range" | "attribute" | "message"> {
  assert.equal(problems.length, 1, JSON.stringify(problems));
  const [p] = problems as [PortProblem];
  assert.equal(p.severity, "error");
  return {
    code: p.code,
    ...(p.range !== undefined ? { range: p.range } : {}),
    ...(p.attribute ? { attribute: p.attribute } : {}),
    message: p.message,
  };
}

const tcp = (
  ranges: PortForward["ranges"],
  more: Partial<PortForward> = {},
): PortForward => ({
  proto: "tcp",
  ranges,
  ...more,
});

Deno.test("checkForwards() finds nothing wrong with the seed", () => {
  assert.deepEqual(
    checkForwards([
      tcp([{ start: 2022, to: 22 }, { start: 5000, end: 5099, to: 1000 }, {
        start: 5010,
        end: 5029,
        exclude: true,
      }], { address: "10.0.0.1", dev: "eth0" }),
      { proto: "udp", ranges: [{ start: 10101 }] },
    ]),
    [],
  );
});

const RANGE_CASES: [string, PortForward, ReturnType<typeof only>][] = [
  ["port above 65535", tcp([{ start: 70000 }]), {
    code: "port-too-large",
    range: 0,
    attribute: "start",
    message: "tcp start port 70000 is above 65535, the highest port",
  }],
  ["end above 65535", tcp([{ start: 65000, end: 65536 }]), {
    code: "port-too-large",
    range: 0,
    attribute: "end",
    message: "tcp end port 65536 is above 65535, the highest port",
  }],
  ["map to port 0", tcp([{ start: 80, to: 0 }]), {
    code: "port-zero",
    range: 0,
    attribute: "to",
    message:
      "tcp to port 0 is accepted by passt 2023, but no guest service can listen on port 0",
  }],
  ["port 0", tcp([{ start: 0 }]), {
    code: "port-zero",
    range: 0,
    attribute: "start",
    message: "tcp port 0 makes passt 2023 bind a random port",
  }],
  [
    "IPv4-mapped address (2023)",
    tcp([{ start: 80 }], {
      address: "::ffff:127.0.0.1",
    }),
    {
      code: "mapped-address",
      message:
        `the tcp <portForward> address '::ffff:127.0.0.1' is IPv4-mapped, which passt 2023 cannot bind ("Failed to bind any port"); use 127.0.0.1`,
    },
  ],
  ["negative port", tcp([{ start: -1 }]), {
    code: "port-zero",
    range: 0,
    attribute: "start",
    message: "tcp start port -1 is not a valid port (ports start at 1)",
  }],
  ["fractional port", tcp([{ start: 1.5 }]), {
    code: "port-invalid",
    range: 0,
    attribute: "start",
    message: "tcp start port '1.5' is not a whole number",
  }],
  ["reversed range", tcp([{ start: 5099, end: 5000 }]), {
    code: "end-before-start",
    range: 0,
    attribute: "end",
    message: "tcp range 5099-5000 ends before it starts",
  }],
  [
    "exclusion with to",
    tcp([{ start: 1, end: 100 }, {
      start: 10,
      end: 20,
      to: 30,
      exclude: true,
    }]),
    {
      code: "exclude-with-to",
      range: 1,
      attribute: "to",
      message:
        "the tcp exclusion 10-20 has to='30', which passt rejects as an invalid port specifier",
    },
  ],
  ["mapping overflow", tcp([{ start: 40000, end: 40009, to: 65530 }]), {
    code: "mapping-overflow",
    range: 0,
    attribute: "to",
    message:
      "tcp ports 40000-40009 mapped to 65530 would reach guest port 65539, above 65535",
  }],
  ["missing start with end", tcp([{ end: 80 }]), {
    code: "missing-start",
    range: 0,
    attribute: "start",
    message:
      "The 'range' of a 'portForward' requires 'start' attribute if 'end', 'to', or 'exclude' is specified",
  }],
  ["empty range", tcp([{}]), {
    code: "missing-start",
    range: 0,
    attribute: "start",
    message:
      "a tcp <range> without 'start' is passed to passt as port 0, which passt 2023 binds as a random port",
  }],
  [
    "overlapping ranges",
    tcp([{ start: 5000, end: 5099 }, { start: 5050, end: 5060 }]),
    {
      code: "overlap",
      range: 1,
      message:
        "tcp ports 5050-5060 overlap ports 5000-5099 of another range in the same <portForward>",
    },
  ],
  ["duplicate port", tcp([{ start: 80 }, { start: 80, to: 8080 }]), {
    code: "overlap",
    range: 1,
    message:
      "tcp port 80 overlaps port 80 of another range in the same <portForward>",
  }],
  [
    "overlapping exclusions (2023)",
    tcp([{ start: 1, end: 100 }, { start: 5, exclude: true }, {
      start: 5,
      exclude: true,
    }]),
    {
      code: "overlap",
      range: 2,
      message:
        "tcp exclusion 5 overlaps exclusion 5 of another range in the same <portForward>, which passt 2023 rejects",
    },
  ],
  ["ADDR/all (2023)", tcp([], { address: "1.2.3.4" }), {
    code: "all-with-address",
    message:
      "a tcp <portForward> without ranges on 1.2.3.4 becomes '1.2.3.4/all', which passt 2023 rejects as an invalid port specifier",
  }],
  ["dev without address (2023)", tcp([{ start: 80 }], { dev: "eth0" }), {
    code: "dev-without-address",
    message:
      "the tcp <portForward> has dev='eth0' without an address, which passt 2023 rejects ('%eth0/…' is an invalid port specifier)",
  }],
  [
    "dev name too long (2023)",
    tcp([{ start: 80 }], { address: "::1", dev: "abcdefghijklm" }),
    {
      code: "dev-name-too-long",
      message:
        "interface name 'abcdefghijklm' is too long for passt 2023 (at most 12 characters)",
    },
  ],
];

for (const [name, forward, expected] of RANGE_CASES) {
  Deno.test(`checkForwards() names the problem: ${name}`, () => {
    assert.deepEqual(only(checkForwards([forward])), expected);
  });
}

Deno.test("checkForwards() accepts overlaps that exclusions remove, and overlapping exclusions in 2026", () => {
  assert.deepEqual(
    checkForwards([
      tcp([{ start: 10, end: 20 }, { start: 20, end: 30 }, {
        start: 20,
        exclude: true,
      }]),
    ]),
    [],
  );
  const forward = tcp([{ start: 1, end: 100 }, { start: 5, exclude: true }, {
    start: 5,
    exclude: true,
  }]);
  assert.deepEqual(checkForwards([forward], { target: "2026" }), []);
  assert.deepEqual(
    checkForwards([tcp([], { dev: "abcdefghijklm" })], { target: "2026" }),
    [],
  );
});

Deno.test("checkForwards() finds the same port on two addresses with passt 2023 but not 2026", () => {
  const forwards = [
    tcp([{ start: 40022 }], { address: "127.0.0.1" }),
    tcp([{ start: 40020, end: 40030 }], { address: "::1" }),
    { proto: "udp" as const, ranges: [{ start: 40022 }], address: "::1" },
  ];
  const problems = checkForwards(forwards);
  assert.equal(problems.length, 1);
  assert.deepEqual(problems[0], {
    code: "overlap-across-forwards",
    severity: "error",
    message:
      'tcp port 40022 on ::1 is also forwarded by another <portForward> on 127.0.0.1; passt 2023 rejects a port given in two -t options even on different addresses ("Overlapping port specifier")',
    forward: 1,
    range: 0,
    other: { forward: 0, range: 0 },
  });
  assert.deepEqual(checkForwards(forwards, { target: "2026" }), []);
});

Deno.test("checkForwards() with passt 2026 finds the same port on overlapping addresses", () => {
  const problems = checkForwards([
    tcp([{ start: 40022 }], { address: "127.0.0.1" }),
    tcp([{ start: 40000, end: 40100 }, { start: 40022, exclude: true }]),
    tcp([{ start: 40100 }], { address: "127.0.0.1" }),
  ], { target: "2026" });
  assert.deepEqual(problems, [{
    code: "overlap-across-forwards",
    severity: "error",
    message:
      'tcp port 40100 on 127.0.0.1 is also forwarded by another <portForward> on any address; passt 2026 rejects two rules for the same port on overlapping addresses ("Forwarding configuration conflict")',
    forward: 2,
    range: 0,
    other: { forward: 1, range: 0 },
  }]);
});

Deno.test("checkForwards() with passt 2023 refuses 'all' together with another forward", () => {
  const problems = checkForwards([
    tcp([]),
    tcp([{ start: 60000 }], { address: "::1" }),
  ]);
  assert.deepEqual(problems.map((p) => [p.code, p.forward, p.other]), [
    ["random-port", 0, undefined],
    ["overlap-across-forwards", 1, { forward: 0 }],
  ]);
});

Deno.test("checkForwards() finds clashes across interfaces only when the addresses overlap", () => {
  const forwards = [
    tcp([{ start: 2222, to: 22 }], { address: "127.0.0.1" }),
    tcp([{ start: 2222, to: 22 }]),
    tcp([{ start: 2222, to: 22 }], { address: "127.0.0.2" }),
  ];
  const problems = checkForwards(forwards, {
    groups: ["net0", "net1", "net2"],
  });
  assert.deepEqual(problems.map((p) => [p.code, p.forward, p.other?.forward]), [
    ["overlap-across-interfaces", 1, 0],
    // 127.0.0.2 does not clash with 127.0.0.1, but does with any address.
    ["overlap-across-interfaces", 2, 1],
  ]);
  assert.equal(
    problems[0]?.message,
    "tcp port 2222 on any address is also forwarded by interface 'net0' on 127.0.0.1; the kernel refuses the second passt's bind (\"Address already in use\")",
  );
  // Different devices keep the sockets apart.
  assert.deepEqual(
    checkForwards([
      tcp([{ start: 2222 }], { address: "::1", dev: "eth0" }),
      tcp([{ start: 2222 }], { address: "::1", dev: "eth1" }),
    ], { groups: [0, 1] }),
    [],
  );
  // Different protocols never clash.
  assert.deepEqual(
    checkForwards([tcp([{ start: 2222 }]), {
      proto: "udp",
      ranges: [{ start: 2222 }],
    }], {
      groups: [0, 1],
    }),
    [],
  );
});

Deno.test("checkForwards() with passt 2023 counts excluded ports of a later forward's range (tested on the real binary)", () => {
  // `-t 127.0.0.1/40040 -t ::1/40038-40042,~40040` exits with "Overlapping port specifier".
  const forwards = [
    tcp([{ start: 40040 }], { address: "127.0.0.1" }),
    tcp([{ start: 40038, end: 40042 }, { start: 40040, exclude: true }], {
      address: "::1",
    }),
  ];
  assert.deepEqual(
    checkForwards(forwards).map((p) => [p.code, p.forward, p.range, p.other]),
    [["overlap-across-forwards", 1, 0, { forward: 0, range: 0 }]],
  );
  assert.deepEqual(checkForwards(forwards, { target: "2026" }), []);
});

Deno.test("checkForwards() says what each passt does with port 0", () => {
  const messages = (forward: PortForward, target: "2023" | "2026") =>
    checkForwards([forward], { target }).map((p) => [p.code, p.message]);
  assert.deepEqual(messages(tcp([{ start: 0 }]), "2026"), [[
    "port-zero",
    'tcp start port 0 is refused by passt 2026 ("Forwarding rule attempts to map from port 0")',
  ]]);
  assert.deepEqual(messages(tcp([{ start: 80, to: 0 }]), "2026"), [[
    "port-zero",
    'tcp to port 0 is refused by passt 2026 ("Forwarding rule attempts to map to port 0")',
  ]]);
});

Deno.test("checkForwards() accepts an IPv4-mapped address with passt 2026", () => {
  assert.deepEqual(
    checkForwards([tcp([{ start: 80 }], { address: "::ffff:127.0.0.1" })], {
      target: "2026",
    }),
    [],
  );
});

Deno.test("checkForwards() warns that passt 2023 binds a random port for an exclusion-only or all forward", () => {
  const forwards = [
    {
      proto: "tcp" as const,
      ranges: [{ start: 1, end: 45000, exclude: true }],
    },
    { proto: "udp" as const, ranges: [] },
    { proto: "udp" as const, address: "127.0.0.1", ranges: [{ start: 40000 }] },
  ];
  const warnings = checkForwards(forwards).filter((p) =>
    p.code === "random-port"
  );
  assert.deepEqual(warnings.map((p) => [p.forward, p.severity]), [
    [0, "warning"],
    [1, "warning"],
  ]);
  assert.match(warnings[0]!.message, /except the excluded ones/);
  assert.equal(
    warnings[1]!.message,
    "passt 2023 forwards every udp port from 0 to 49151 here, and for port 0 it also binds one random port",
  );
  assert.deepEqual(
    checkForwards(forwards, { target: "2026" }).filter((p) =>
      p.code === "random-port"
    ),
    [],
  );
});

Deno.test("checkForwards() refuses a spec that passt 2023 would cut at 8191 characters", () => {
  // 1365 five-digit ports and their commas are 8189 characters.
  const many = Array.from(
    { length: 1365 },
    (_, i) => ({ start: 20000 + 2 * i }),
  );
  const rows: [PortForward, PortProblem[]][] = [
    [tcp([...many, { start: 1 }]), []],
    [tcp([...many, { start: 12 }]), [{
      code: "spec-too-long",
      severity: "error",
      message:
        "the tcp spec is 8192 characters long; passt 2023 silently cuts it at 8191 characters, so later ranges are lost — split it into several <portForward> elements",
      forward: 0,
    }]],
  ];
  for (const [forward, expected] of rows) {
    assert.deepEqual(checkForwards([forward]), expected);
    assert.deepEqual(checkForwards([forward], { target: "2026" }), []);
  }
});
