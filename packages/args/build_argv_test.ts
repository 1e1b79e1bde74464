import assert from "node:assert/strict";
import { parse } from "@passtkit/xml";
import {
  buildDomainCommands,
  type BuildOptions,
  buildPasstArgv,
} from "./mod.ts";
import { SEED_ARGV } from "../../tests/_seed.ts";

const TESTDATA = new URL("../xml/testdata/", import.meta.url);

function read(path: string): string {
  return Deno.readTextFileSync(new URL(path, TESTDATA));
}

const expected: Record<string, Record<string, string[] | string>> = JSON.parse(
  read("expected-passt-argv.json"),
);

// expected-passt-argv.json's _about and _note give these options.
const LIBVIRT_TESTS: BuildOptions = {
  stateDir: "/var/run/libvirt/qemu/passt",
  domainId: -1,
};
const SEED: BuildOptions = {
  stateDir: "/run/passtkit",
  domainId: 1,
  domainName: "vm",
};

const VECTORS: [key: string, file: string, options: BuildOptions][] = [
  ["net-user-passt.xml", "libvirt-11.3.0/net-user-passt.xml", LIBVIRT_TESTS],
  [
    "net-user-passt.xml",
    "libvirt-11.3.0/net-user-passt.x86_64-latest.xml",
    LIBVIRT_TESTS,
  ],
  [
    "net-user-passt.xml",
    "libvirt-11.3.0/net-user-passt.x86_64-7.2.0.xml",
    LIBVIRT_TESTS,
  ],
  ["net-user-passt.xml", "libvirt-9.0.0/net-user-passt.xml", LIBVIRT_TESTS],
  [
    "net-vhostuser-passt.xml",
    "libvirt-11.3.0/net-vhostuser-passt.xml",
    LIBVIRT_TESTS,
  ],
  [
    "net-vhostuser-passt.xml",
    "libvirt-11.3.0/net-vhostuser-passt.x86_64-latest.xml",
    LIBVIRT_TESTS,
  ],
  ["seed-interface.xml", "seed-interface.xml", SEED],
];

Deno.test("buildDomainCommands() gives expected-passt-argv.json for every conformance vector", () => {
  const covered = new Set<string>();
  for (const [key, file, options] of VECTORS) {
    const doc = parse(read(file), { file });
    const result = buildDomainCommands(doc, options);
    assert.ok(result.ok, `${file}: ${JSON.stringify(result.diagnostics)}`);
    const want = Object.fromEntries(
      Object.entries(expected[key] ?? {}).filter(([k]) => !k.startsWith("_")),
    );
    const got = Object.fromEntries(
      result.commands.map((c) => [c.alias, [...c.argv]]),
    );
    assert.deepEqual(got, want, file);
    covered.add(key);
  }
  // Every vector of the JSON file is tested.
  assert.deepEqual(
    [...covered].sort(),
    Object.keys(expected).filter((k) => !k.startsWith("_")).sort(),
  );
});

Deno.test("buildDomainCommands() gives the seed's command from examples/seed.xml", () => {
  const text = Deno.readTextFileSync(
    new URL("../../examples/seed.xml", import.meta.url),
  );
  const result = buildDomainCommands(parse(text), SEED);
  assert.ok(result.ok);
  assert.deepEqual(result.commands[0]?.argv, SEED_ARGV);
  // The seed's upstream attribute is reported, but does not stop the build.
  assert.deepEqual(result.diagnostics.map((d) => d.code), ["upstream-ignored"]);
});

Deno.test("buildDomainCommands() refuses every libvirt error vector", () => {
  for (
    const [file, code] of [
      [
        "libvirt-11.3.0/net-user-slirp-portforward.xml",
        "portforward-without-passt",
      ],
      [
        "libvirt-11.3.0/net-vhostuser-passt-no-shmem.xml",
        "shared-memory-required",
      ],
    ]
  ) {
    const result = buildDomainCommands(parse(read(file as string)), SEED);
    assert.equal(result.ok, false, file);
    assert.ok(!("commands" in result));
    assert.ok(result.diagnostics.some((d) => d.code === code), file);
  }
});

const ALL_OPTIONS = `<domain type='kvm' id='3'>
  <name>guest</name>
  <devices>
    <interface type='user'>
      <mac address='52:54:00:00:00:01'/>
      <source dev='eth0'/>
      <ip address='2001:DB8:0:0::10' family='ipv6' prefix='64'/>
      <ip address='10.0.2.15' family='ipv4' prefix='24'/>
      <route gateway='10.0.2.2'/>
      <route gateway='2001:db8::1'/>
      <portForward proto='udp' dev='eth0'><range start='53'/></portForward>
      <portForward proto='tcp' address='2001:db8:0::1'/>
      <model type='virtio'/>
      <backend type='passt' logFile='/tmp/p.log' hostname='web' fqdn='web.example.org'/>
      <mtu size='1500'/>
    </interface>
  </devices>
</domain>`;

Deno.test("buildPasstArgv() writes every option in libvirt's order, addresses canonical", () => {
  const result = buildPasstArgv(parse(ALL_OPTIONS), 0, {
    stateDir: "/run/passtkit",
    target: "2026",
  });
  assert.ok(result.ok, JSON.stringify(result.diagnostics));
  assert.deepEqual(result.command.argv, [
    "passt",
    "--one-off",
    "--socket",
    "/run/passtkit/3-guest-net0.socket",
    "--pid",
    "/run/passtkit/3-guest-net0-passt.pid",
    "--mtu",
    "1500",
    "--interface",
    "eth0",
    "--log-file",
    "/tmp/p.log",
    "--hostname",
    "web",
    "--fqdn",
    "web.example.org",
    "--address",
    "2001:db8::10",
    "--address",
    "10.0.2.15",
    "--netmask",
    "24",
    "--gateway",
    "10.0.2.2",
    "--gateway",
    "2001:db8::1",
    "--udp-ports",
    "%eth0/53",
    "--tcp-ports",
    "2001:db8::1/all",
  ]);
});

Deno.test("buildPasstArgv() never passes --mac-addr", () => {
  const result = buildPasstArgv(parse(ALL_OPTIONS), 0, {
    stateDir: "/run/passtkit",
    target: "2026",
  });
  assert.ok(result.ok);
  assert.ok(!result.command.argv.includes("--mac-addr"));
  assert.ok(!result.command.argv.includes("52:54:00:00:00:01"));
});

Deno.test("buildDomainCommands() skips interfaces that do not use passt, keeping net<N> by position", () => {
  const doc = parse(`<domain type='kvm'>
  <name>mixed</name>
  <devices>
    <interface type='network'><source network='default'/></interface>
    <interface type='user'><mac address='52:54:00:00:00:02'/><backend type='passt'/></interface>
  </devices>
</domain>`);
  const result = buildDomainCommands(doc, { stateDir: "/run/passtkit" });
  assert.ok(result.ok, JSON.stringify(result.diagnostics));
  assert.equal(result.commands.length, 1);
  assert.equal(result.commands[0]?.alias, "net1");
  assert.equal(result.commands[0]?.index, 1);
  assert.equal(result.commands[0]?.socket, "/run/passtkit/1-mixed-net1.socket");
});

Deno.test("buildDomainCommands() uses <alias name> and the options' passt, id and name", () => {
  const doc = parse(`<interface type='user'>
  <mac address='52:54:00:00:00:02'/>
  <backend type='passt'/>
  <alias name='ua-web'/>
</interface>`);
  const result = buildDomainCommands(doc, {
    stateDir: "/srv/run/",
    passt: "/usr/bin/passt",
    domainId: 12,
    domainName: "名前-with-a-name-longer-than-twenty",
  });
  assert.ok(result.ok);
  const command = result.commands[0]!;
  assert.equal(command.argv[0], "/usr/bin/passt");
  assert.equal(
    command.socket,
    "/srv/run/12-名前-with-a-name-longe-ua-web.socket",
  );
  assert.equal(
    command.pidfile,
    "/srv/run/12-名前-with-a-name-longe-ua-web-passt.pid",
  );
});

Deno.test("buildDomainCommands() names the domain after the file for a bare interface", () => {
  const doc = parse(
    "<interface type='user'><mac address='52:54:00:00:00:02'/><backend type='passt'/></interface>",
    { file: "some/dir/web-1.xml" },
  );
  const result = buildDomainCommands(doc, { stateDir: "/run/passtkit" });
  assert.ok(result.ok);
  assert.equal(result.commands[0]?.socket, "/run/passtkit/1-web-1-net0.socket");
});

Deno.test("buildDomainCommands() refuses a socket path over 107 bytes and warns over 98", () => {
  const doc = parse(
    "<interface type='user'><mac address='52:54:00:00:00:02'/><backend type='passt'/></interface>",
  );
  const at = (length: number) => {
    // "/" + dir + "/1-vm-net0.socket" (17 bytes)
    const stateDir = "/" + "d".repeat(length - 18);
    return buildDomainCommands(doc, { stateDir, domainName: "vm" });
  };
  const ok98 = at(98);
  assert.ok(ok98.ok);
  assert.equal(ok98.commands[0]?.socket.length, 98);
  assert.deepEqual(ok98.diagnostics, []);
  const warn = at(107);
  assert.ok(warn.ok);
  assert.deepEqual(warn.diagnostics.map((d) => d.code), ["socket-path-long"]);
  const error = at(108);
  assert.equal(error.ok, false);
  assert.deepEqual(error.diagnostics.map((d) => [d.severity, d.code]), [[
    "error",
    "socket-path-too-long",
  ]]);
  assert.match(error.diagnostics[0]!.message, /is 108 bytes long/);
});

Deno.test("buildDomainCommands() refuses duplicate aliases and a name with '/'", () => {
  const doc = parse(`<devices>
  <interface type='user'><mac address='52:54:00:00:00:02'/><backend type='passt'/><alias name='ua-x'/></interface>
  <interface type='user'><mac address='52:54:00:00:00:03'/><backend type='passt'/><alias name='ua-x'/></interface>
</devices>`);
  const result = buildDomainCommands(doc, { stateDir: "/run/passtkit" });
  assert.equal(result.ok, false);
  assert.deepEqual(result.diagnostics.map((d) => [d.code, d.interface]), [
    ["alias-duplicate", 0],
    ["alias-duplicate", 1],
  ]);
  const named = buildDomainCommands(doc, {
    stateDir: "/run/passtkit",
    domainName: "../etc",
  });
  assert.ok(
    named.diagnostics.some((d) =>
      d.code === "domain-name-invalid" &&
      d.message === "name ../etc cannot contain '/'"
    ),
  );
});

Deno.test("buildPasstArgv() ignores errors of other interfaces, not its own", () => {
  const doc = parse(`<devices>
  <interface type='user'><mac address='52:54:00:00:00:02'/><backend type='passt'/></interface>
  <interface type='user'>
    <mac address='52:54:00:00:00:03'/><backend type='passt'/>
    <portForward proto='tcp'><range start='0'/></portForward>
  </interface>
</devices>`);
  const options = { stateDir: "/run/passtkit" };
  assert.equal(buildDomainCommands(doc, options).ok, false);
  assert.ok(buildPasstArgv(doc, 0, options).ok);
  const bad = buildPasstArgv(doc, doc.interfaces[1]!, options);
  assert.equal(bad.ok, false);
  assert.ok(!("command" in bad));
  assert.ok(bad.diagnostics.every((d) => d.interface === 1));
});

Deno.test("buildPasstArgv() refuses an interface that does not use passt", () => {
  const doc = parse(
    "<interface type='user'><mac address='52:54:00:00:00:02'/></interface>",
  );
  const result = buildPasstArgv(doc, 0, { stateDir: "/run/passtkit" });
  assert.equal(result.ok, false);
  assert.deepEqual(result.diagnostics.map((d) => d.code), ["not-passt"]);
  assert.throws(() => buildPasstArgv(doc, 3), RangeError);
});

Deno.test("buildDomainCommands() refuses a relative state directory", () => {
  const doc = parse(
    "<interface type='user'><backend type='passt'/></interface>",
  );
  assert.throws(
    () => buildDomainCommands(doc, { stateDir: "run" }),
    { name: "TypeError", message: /absolute path, got 'run'/ },
  );
});
