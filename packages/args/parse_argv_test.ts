import assert from "node:assert/strict";
import { parse } from "@passtkit/xml";
import {
  buildDomainCommands,
  type BuildOptions,
  buildPasstArgv,
  parsePasstArgv,
} from "./mod.ts";

const TESTDATA = new URL("../xml/testdata/", import.meta.url);

const OPTIONS: BuildOptions = { stateDir: "/run/passtkit", domainName: "vm" };

Deno.test("parsePasstArgv() round-trips the argv of every valid test file", () => {
  let count = 0;
  for (const dir of ["", "libvirt-9.0.0/", "libvirt-11.3.0/"]) {
    for (const entry of Deno.readDirSync(new URL(dir, TESTDATA))) {
      if (!entry.name.endsWith(".xml")) continue;
      const text = Deno.readTextFileSync(new URL(dir + entry.name, TESTDATA));
      const result = buildDomainCommands(parse(text), OPTIONS);
      if (!result.ok) continue;
      for (const command of result.commands) {
        const back = parsePasstArgv(command.argv);
        assert.deepEqual(back.errors, [], entry.name);
        assert.deepEqual(back.unsupported, [], entry.name);
        assert.deepEqual(
          back.runtime.map((n) => n.option),
          ["--one-off", "--socket", "--pid"],
        );
        assert.deepEqual(
          back.diagnostics.filter((d) => d.severity === "error"),
          [],
          entry.name,
        );
        // The XML builds the same command again (same alias, same paths);
        // libvirt would drop a net<N> written as <alias>, so it is passed.
        const again = buildPasstArgv(parse(back.xml), 0, {
          ...OPTIONS,
          alias: command.alias,
        });
        assert.ok(again.ok, entry.name);
        assert.deepEqual(again.command.argv, command.argv, entry.name);
        count++;
      }
    }
  }
  assert.ok(count >= 8, `only ${count} commands round-tripped`);
});

Deno.test("parsePasstArgv() reads short forms, attached values and --opt=value", () => {
  const long = parsePasstArgv([
    "passt",
    "--one-off",
    "--socket",
    "/tmp/s",
    "--pid=/tmp/p",
    "--mtu",
    "1500",
    "--interface=eth0",
    "--log-file",
    "/tmp/l",
    "--hostname",
    "h",
    "--fqdn=h.example.org",
    "--address",
    "10.0.2.15",
    "--netmask",
    "24",
    "--address=2001:DB8::0:1",
    "--gateway",
    "10.0.2.2",
    "--tcp-ports",
    "2022:22",
    "--udp-ports=1.2.3.4%eth0/53",
  ]);
  const short = parsePasstArgv([
    "-1",
    "-s/tmp/s",
    "-P",
    "/tmp/p",
    "-m1500",
    "-i",
    "eth0",
    "-l/tmp/l",
    "-H",
    "h",
    "--fqdn",
    "h.example.org",
    "-a10.0.2.15",
    "-n",
    "255.255.255.0",
    "-a",
    "2001:db8::1",
    "-g10.0.2.2",
    "-t",
    "2022:22",
    "-u1.2.3.4%eth0/53",
  ]);
  assert.equal(long.binary, "passt");
  assert.equal(short.binary, undefined);
  assert.deepEqual(long.errors, []);
  assert.deepEqual(short.errors, []);
  assert.equal(short.xml, long.xml);
  assert.equal(
    long.xml,
    `<interface type='user'>
  <source dev='eth0'/>
  <ip address='10.0.2.15' family='ipv4' prefix='24'/>
  <ip address='2001:db8::1' family='ipv6'/>
  <route gateway='10.0.2.2'/>
  <portForward proto='tcp'>
    <range start='2022' to='22'/>
  </portForward>
  <portForward proto='udp' address='1.2.3.4' dev='eth0'>
    <range start='53'/>
  </portForward>
  <backend type='passt' logFile='/tmp/l' hostname='h' fqdn='h.example.org'/>
  <mtu size='1500'/>
</interface>
`,
  );
  assert.deepEqual(short.runtime.map((n) => [n.option, n.value]), [
    ["-1", undefined],
    ["-s", "/tmp/s"],
    ["-P", "/tmp/p"],
  ]);
});

Deno.test("parsePasstArgv() reads clustered flags and long-option prefixes", () => {
  const result = parsePasstArgv(["-1ft80", "--log-f", "/tmp/l", "--vhost"]);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.runtime.map((n) => n.option), ["-1", "-f"]);
  assert.equal(result.interface.type, "vhostuser");
  assert.equal(result.interface.backend?.logFile, "/tmp/l");
  assert.deepEqual(result.interface.portForwards[0]?.ranges[0]?.start, 80);
});

Deno.test("parsePasstArgv() reports options with no XML equivalent, never dropping them", () => {
  const result = parsePasstArgv([
    "passt",
    "-D",
    "1.1.1.1",
    "--no-dhcp",
    "-M",
    "9a:55:9a:55:9a:55",
    "--runas=1000",
    "-q",
    "-4",
    "--dns-forward",
    "10.0.2.3",
  ]);
  assert.deepEqual(result.errors, []);
  assert.deepEqual(
    result.unsupported.map((n) => [n.option, n.value]),
    [
      ["-D", "1.1.1.1"],
      ["--no-dhcp", undefined],
      ["-M", "9a:55:9a:55:9a:55"],
      ["--runas", "1000"],
      ["-q", undefined],
      ["-4", undefined],
      ["--dns-forward", "10.0.2.3"],
    ],
  );
  assert.match(result.unsupported[2]!.reason, /passt's own MAC/);
  assert.equal(
    result.xml,
    "<interface type='user'>\n  <backend type='passt'/>\n</interface>\n",
  );
});

Deno.test("parsePasstArgv() reports what passt itself would refuse", () => {
  const cases: [string[], string][] = [
    [["--bogus"], "unrecognized option '--bogus'"],
    [["-Z"], "invalid option -- 'Z'"],
    [["--no-d"], "option '--no-d' is ambiguous; possibilities: "],
    [["-t"], "option requires an argument -- 't'"],
    [["--tcp-ports"], "option '--tcp-ports' requires an argument"],
    [["--one-off=yes"], "option '--one-off' doesn't allow an argument"],
    [["passt", "extra"], "Extra non-option argument: extra"],
    [["-m", "1500", "-m", "9000"], "Multiple --mtu options given"],
    [["-m", "20"], "Invalid MTU: 20"],
    [["-a", "localhost"], "Invalid address: localhost"],
    [["-a", "10.0.0.1", "-n", "255.0.255.0"], "Invalid netmask: 255.0.255.0"],
    [["-g", "x"], "Invalid gateway address: x"],
    [["-t", "40010-40000"], "Invalid port spec '40010-40000'"],
  ];
  for (const [argv, message] of cases) {
    const result = parsePasstArgv(argv);
    assert.ok(
      result.errors.some((e) => e.message.startsWith(message)),
      `${argv.join(" ")}: ${JSON.stringify(result.errors)}`,
    );
  }
});

Deno.test("parsePasstArgv() turns netmasks and CIDR addresses into prefix lengths", () => {
  const dotted = parsePasstArgv(["-n", "255.255.240.0", "-a", "10.1.0.5"]);
  assert.equal(dotted.interface.ips[0]?.prefix, 20);
  const cidr = parsePasstArgv(["-a", "10.1.0.5/16"]);
  assert.equal(cidr.interface.ips[0]?.prefix, 16);
  const both = parsePasstArgv(["-a", "10.1.0.5/16", "-n", "24"]);
  assert.equal(both.errors.length, 1);
  const alone = parsePasstArgv(["-n", "24"]);
  assert.deepEqual(alone.unsupported.map((n) => n.option), ["-n"]);
  const v6 = parsePasstArgv(["-a", "2001:db8::5/64"]);
  assert.equal(v6.interface.ips[0]?.prefix, undefined);
  assert.deepEqual(v6.unsupported.map((n) => n.option), ["-a"]);
});

Deno.test("parsePasstArgv() writes all and exclusion-only specs as libvirt would read them", () => {
  const result = parsePasstArgv([
    "-t",
    "all",
    "-u",
    "::1/~53",
    "-t",
    "none",
  ]);
  assert.deepEqual(result.errors, []);
  assert.equal(
    result.xml,
    `<interface type='user'>
  <portForward proto='tcp'/>
  <portForward proto='udp' address='::1'>
    <range start='53' exclude='yes'/>
  </portForward>
  <backend type='passt'/>
</interface>
`,
  );
});

Deno.test("parsePasstArgv() gives XML that validates, with validate's findings attached", () => {
  const result = parsePasstArgv(["-a", "10.0.0.1", "-a", "10.0.0.2"]);
  assert.ok(
    result.diagnostics.some((d) =>
      d.severity === "error" &&
      d.message === "Only one IPv4 address per interface is allowed"
    ),
    JSON.stringify(result.diagnostics),
  );
  const fine = parsePasstArgv(["-a", "10.0.0.1"]);
  assert.deepEqual(
    fine.diagnostics.filter((d) => d.severity === "error"),
    [],
  );
});

Deno.test("parsePasstArgv() refuses a command line of another program", () => {
  for (
    const program of ["ls", "/usr/bin/qemu-system-x86_64", "pasta", "passtkit"]
  ) {
    // Its options are not read as passt's: the refusal is the only error.
    const { binary, errors } = parsePasstArgv([program, "-l", "-t", "22"]);
    assert.equal(binary, program);
    assert.deepEqual(errors, [{
      message:
        `'${program}' is not passt: give passt's command line (passt OPTIONS..., or only its options)`,
    }]);
  }
  for (
    const program of ["passt", "/usr/bin/passt", "./passt", "passt.avx2"]
  ) {
    const { binary, errors } = parsePasstArgv([program, "-t", "22"]);
    assert.equal(binary, program);
    assert.deepEqual(errors, []);
  }
  // Without a program name the options alone are read.
  assert.deepEqual(parsePasstArgv(["-t", "22"]).errors, []);
});
