import assert from "node:assert/strict";
import { type Captured, runCaptured } from "../../../tests/_capture_io.ts";

/** Runs `passtkit ports ARGS` with captured streams. */
function ports(args: string[], stdin = ""): Promise<Captured> {
  return runCaptured(["ports", ...args], stdin);
}

const SEED_SPEC = "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029";

Deno.test("ports --spec explains a passt spec and prints its map", async () => {
  const { code, out, err } = await ports(["--spec", SEED_SPEC]);
  assert.equal(code, 0);
  assert.equal(err, "");
  assert.equal(
    out,
    [
      "incoming tcp port 2022 on 10.0.0.1 via eth0 is forwarded to port 22 on the guest.",
      "incoming tcp ports 5000-5099 (except 5010-5029) on 10.0.0.1 via eth0 are forwarded to guest ports 1000-1099.",
      "  host 2022 → guest 22",
      "  host 5000-5009 → guest 1000-1009",
      "  host 5030-5099 → guest 1030-1099",
      "",
    ].join("\n"),
  );
});

Deno.test("ports --spec --proto udp --json gives the map as JSON", async () => {
  const { code, out } = await ports([
    "--spec",
    "10101",
    "--proto",
    "udp",
    "--json",
  ]);
  assert.equal(code, 0);
  const record = JSON.parse(out);
  assert.equal(record.proto, "udp");
  assert.equal(record.mode, "ports");
  assert.deepEqual(record.map, [
    { hostStart: 10101, hostEnd: 10101, guestStart: 10101, guestEnd: 10101 },
  ]);
  assert.deepEqual(record.explanation, [
    "incoming udp port 10101 is forwarded to the same port on the guest",
  ]);
});

Deno.test("ports --spec reports an invalid spec with exit code 1", async () => {
  const { code, out, err } = await ports(["--spec", "127.0.0.1/40010-40000"]);
  assert.equal(code, 1);
  assert.equal(out, "");
  assert.equal(
    err,
    "passtkit: ports: Invalid port spec '127.0.0.1/40010-40000': range '40010-40000' ends before it starts\n",
  );
});

Deno.test("ports --spec follows --target", async () => {
  assert.equal((await ports(["--spec", "[::1]/22"])).code, 1);
  const { code, out } = await ports(["--spec", "[::1]/22", "--target", "2026"]);
  assert.equal(code, 0);
  assert.match(
    out,
    /incoming tcp port 22 on ::1 is forwarded to the same port/,
  );
});

Deno.test("ports rejects bad usage with exit code 2", async () => {
  assert.equal((await ports([])).code, 2);
  assert.equal((await ports(["--spec", "22", "--proto", "icmp"])).code, 2);
  assert.equal((await ports(["--spec", "22", "a.xml"])).code, 2);
  assert.equal((await ports(["--spec", "22", "--target", "2024"])).code, 2);
});

const SEED_XML = `<interface type='user'>
  <backend type='passt'/>
  <portForward address='10.0.0.1' proto='tcp' dev='eth0'>
    <range start='2022' to='22' />
    <range start='5000' end='5099' to='1000' />
    <range start='5010' end='5029' exclude='yes' />
  </portForward>
  <portForward proto='udp'>
    <range start='10101' />
  </portForward>
</interface>
`;

const BAD_XML = `<domain type='kvm'>
  <name>bad</name>
  <devices>
    <interface type='user'>
      <backend type='passt'/>
      <portForward proto='tcp'>
        <range start='5000' end='5099'/>
        <range start='5050' end='5060'/>
        <range start='6000' end='5990'/>
        <range start='65530' end='65535' to='65534'/>
        <range start='70000'/>
      </portForward>
    </interface>
    <interface type='user'>
      <alias name='ua-second'/>
      <backend type='passt'/>
      <portForward proto='tcp' address='127.0.0.1'>
        <range start='5005'/>
      </portForward>
    </interface>
  </devices>
</domain>
`;

Deno.test("ports FILE prints the seed's maps and no problem", async () => {
  const { code, out } = await ports(["-"], SEED_XML);
  assert.equal(code, 0);
  assert.equal(
    out,
    [
      "<stdin>: interface net0",
      `  tcp ${SEED_SPEC}`,
      "    host 2022 → guest 22",
      "    host 5000-5009 → guest 1000-1009",
      "    host 5030-5099 → guest 1030-1099",
      "  udp 10101",
      "    host 10101 → guest 10101",
      "",
    ].join("\n"),
  );
});

Deno.test("ports FILE names overlapping, reversed and overflowing ranges at their attributes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/bad.xml`;
    await Deno.writeTextFile(file, BAD_XML);
    const { code, out } = await ports([file]);
    assert.equal(code, 1);
    const problems = out.split("\n").filter((line) =>
      line.startsWith(`${file}:`) && /^[^ ]*:\d+:\d+: /.test(line)
    );
    assert.deepEqual(problems, [
      `${file}:8:9: error: tcp ports 5050-5060 overlap ports 5000-5099 of another range in the same <portForward>`,
      `${file}:9:29: error: tcp range 6000-5990 ends before it starts`,
      `${file}:10:42: error: tcp ports 65530-65535 mapped to 65534 would reach guest port 65539, above 65535`,
      `${file}:11:16: error: tcp start port 70000 is above 65535, the highest port`,
      `${file}:18:9: error: tcp port 5005 on 127.0.0.1 is also forwarded by interface 'net0' on any address; the kernel refuses the second passt's bind ("Address already in use")`,
    ]);
    assert.match(
      out,
      /interface ua-second\n {2}tcp 127\.0\.0\.1\/5005\n {4}host 5005 → guest 5005/,
    );

    const json = await ports(["--json", file]);
    assert.equal(json.code, 1);
    const records = json.out.trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(records.map((r) => [r.file, r.alias]), [[file, "net0"], [
      file,
      "ua-second",
    ]]);
    // Some of its ranges are invalid, so the forward has no map.
    assert.equal(records[0].forwards[0].map, null);
    assert.deepEqual(records[1].forwards[0].map, [
      { hostStart: 5005, hostEnd: 5005, guestStart: 5005, guestEnd: 5005 },
    ]);
    assert.equal(records[0].forwards[0].address, null);
    assert.deepEqual(
      records[0].problems.map((
        p: { code: string; line: number; column: number },
      ) => [p.code, p.line, p.column]),
      [
        ["overlap", 8, 9],
        ["end-before-start", 9, 29],
        ["mapping-overflow", 10, 42],
        ["port-too-large", 11, 16],
      ],
    );
    assert.equal(records[1].problems[0].code, "overlap-across-interfaces");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ports FILE reports malformed XML with exit code 1 and a missing file with 2", async () => {
  const malformed = await ports(["-"], "<interface type='user'>");
  assert.equal(malformed.code, 1);
  assert.match(malformed.out, /^<stdin>:\d+:\d+: error: /);
  const missing = await ports(["/nonexistent/passtkit-ports.xml"]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read: no such file/);
});

/** Runs `passtkit ports ARGS FILE` on `xml` written to a temporary file. */
async function portsOf(
  xml: string,
  args: string[] = [],
): Promise<Captured & { file: string }> {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/vm.xml`;
    await Deno.writeTextFile(file, xml);
    return { ...(await ports([...args, file])), file };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const MAC = "  <mac address='52:54:00:a8:33:fc'/>\n";

Deno.test("ports FILE agrees with validate: the same errors, at the same places, exit 1", async () => {
  const cases: [string, string, string[]][] = [
    [
      "invalid address",
      `<interface type='user'>\n${MAC}  <backend type='passt'/>
  <portForward proto='tcp' address='10.0.0.256'><range start='22'/></portForward>
</interface>\n`,
      [
        "FILE: interface net0",
        "  no <portForward> that libvirt accepts",
        "FILE:4:28: error: Invalid address '10.0.0.256' in <portForward>",
      ],
    ],
    [
      "misspelt proto",
      `<interface type='user'>\n${MAC}  <backend type='passt'/>
  <portForward proto='tpc'><range start='22'/></portForward>
</interface>\n`,
      [
        "FILE: interface net0",
        "  no <portForward> that libvirt accepts",
        "FILE:4:16: error: Invalid value for attribute 'proto' in element 'portForward': 'tpc'. (did you mean 'tcp'?)",
      ],
    ],
    [
      "passt backend on a bridge",
      `<interface type='bridge'>\n${MAC}  <backend type='passt'/>
  <portForward proto='tcp'><range start='22'/></portForward>
</interface>\n`,
      [
        "FILE: no interface that libvirt runs passt for",
        "FILE:3:12: error: The 'passt' backend can only be used with interface type='user' or type='vhostuser'",
        "FILE:4:3: error: The <portForward> element can only be used with the 'passt' backend of interface type='user' or type='vhostuser'",
      ],
    ],
    [
      "zero and unparsable ports",
      `<interface type='user'>\n${MAC}  <backend type='passt'/>
  <portForward proto='tcp'><range start='0'/><range start='abc'/></portForward>
  <portForward proto='udp'><range start='53'/></portForward>
</interface>\n`,
      [
        "FILE: interface net0",
        "  tcp 0,0",
        "    (no map: a <range> of this <portForward> is invalid)",
        "  udp 53",
        "    host 53 → guest 53",
        "FILE:4:35: error: Invalid value for attribute 'start' in element 'range': Zero is not permitted",
        "FILE:4:53: error: Invalid value for attribute 'start' in element 'range': 'abc'. Expected non-negative integer value",
      ],
    ],
    [
      "misspelt <range>",
      `<interface type='user'>\n${MAC}  <backend type='passt'/>
  <portForward proto='tcp'><rnage start='2022' to='22'/></portForward>
</interface>\n`,
      [
        "FILE: interface net0",
        "  tcp all",
        "    host 1-49151 → guest 1-49151",
        "FILE:4:3: error: The <portForward proto='tcp'> has no <range> but contains <rnage>, so it would forward every port (did you mean <range>?)",
        "FILE:4:28: warning: Unknown element <rnage> in <portForward>; libvirt ignores it (did you mean <range>?)",
      ],
    ],
  ];
  for (const [name, xml, expected] of cases) {
    const { code, out, file } = await portsOf(xml);
    assert.equal(code, 1, name);
    assert.equal(
      out,
      expected.join("\n").replaceAll("FILE", file) + "\n",
      name,
    );
  }
});

Deno.test("ports FILE shows no warning outside <portForward> and exits 0 without errors", async () => {
  const { code, out, file } = await portsOf(
    `<interface type='user'>
  <backend type='passt' logfile='/tmp/x'/>
  <portForward proto='tcp'><range start='2022' to='22' colour='red'/></portForward>
</interface>\n`,
  );
  assert.equal(code, 0);
  assert.equal(
    out,
    [
      `${file}: interface net0`,
      "  tcp 2022:22",
      "    host 2022 → guest 22",
      `${file}:3:56: warning: Unknown attribute 'colour' in element 'range'; libvirt silently ignores it`,
      "",
    ].join("\n"),
  );
});

Deno.test("ports FILE --json: problems carry the hint and their forward and range", async () => {
  const { code, out } = await portsOf(
    `<interface type='user'>\n${MAC}  <backend type='passt'/>
  <portForward proto='tcp'><range start='80' exclude='ys'/></portForward>
</interface>
`,
    ["--json"],
  );
  assert.equal(code, 1);
  const record = JSON.parse(out);
  assert.equal(record.alias, "net0");
  assert.deepEqual(record.forwards, [{
    proto: "tcp",
    address: null,
    dev: null,
    spec: "80",
    map: null,
  }]);
  assert.deepEqual(record.problems, [{
    severity: "error",
    code: "range-exclude-invalid",
    message: "Invalid value for attribute 'exclude' in element 'range': 'ys'.",
    hint: "did you mean 'yes'?",
    line: 4,
    column: 46,
    forward: 0,
    range: 0,
  }]);
});

Deno.test("ports FILE --json: errors outside passt interfaces get a record with alias null", async () => {
  const { code, out } = await portsOf(
    `<interface type='usr'>\n${MAC}  <backend type='passt'/>\n</interface>\n`,
    ["--json"],
  );
  assert.equal(code, 1);
  const record = JSON.parse(out);
  assert.equal(record.alias, null);
  assert.deepEqual(record.forwards, []);
  assert.deepEqual(
    record.problems.map((
      p: { code: string; hint?: string },
    ) => [p.code, p.hint]),
    [["interface-type-invalid", "did you mean 'user'?"]],
  );
});

Deno.test("ports --spec says what each passt does with port 0", async () => {
  const old = await ports(["--spec", "127.0.0.1/0"]);
  assert.equal(old.code, 1);
  assert.equal(
    old.out,
    "tcp port 0 makes passt 2023 bind a random port.\n  (no port is forwarded)\n",
  );
  const mapped = await ports(["--spec", "40022:0", "--json"]);
  assert.equal(mapped.code, 1);
  assert.deepEqual(JSON.parse(mapped.out).problems, [{
    code: "port-zero",
    severity: "error",
    message:
      "tcp to port 0 is accepted by passt 2023, but no guest service can listen on port 0",
    range: 0,
    attribute: "to",
  }]);
  const newest = await ports(["--spec", "0", "--target", "2026"]);
  assert.equal(newest.code, 1);
  assert.equal(
    newest.err,
    "passtkit: ports: Invalid port spec '0': '0' forwards from port 0, which passt 2026 rejects\n",
  );
});

Deno.test("ports FILE names a <portForward> libvirt cannot read instead of leaving it out", async () => {
  const { code, out } = await ports(
    ["-"],
    `<interface type='user'>
  <mac address='52:54:00:00:00:02'/>
  <backend type='passt'/>
  <portForward proto='tcp' address='x'><range start='30'/></portForward>
  <portForward proto='udp'><range start='40'/></portForward>
</interface>
`,
  );
  assert.equal(code, 1);
  assert.equal(
    out,
    [
      "<stdin>: interface net0",
      "  udp 40",
      "    host 40 → guest 40",
      "  <portForward> at line 4: no map (libvirt cannot read it; see below)",
      "<stdin>:4:28: error: Invalid address 'x' in <portForward>",
      "",
    ].join("\n"),
  );
});
