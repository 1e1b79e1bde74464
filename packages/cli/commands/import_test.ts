import assert from "node:assert/strict";
import {
  type Captured,
  captureIo,
  runCaptured,
} from "../../../tests/_capture_io.ts";
import { SEED_ARGV } from "../../../tests/_seed.ts";
import { command as argsCommand } from "./args.ts";

/** Runs `passtkit import ARGS` with captured streams. */
function importCommand(argv: string[]): Promise<Captured> {
  return runCaptured(["import", ...argv]);
}

const SEED_XML = `<interface type='user'>
  <source dev='eth0'/>
  <ip address='192.168.221.122' family='ipv4'/>
  <portForward proto='tcp' address='10.0.0.1' dev='eth0'>
    <range start='2022' to='22'/>
    <range start='5000' end='5099' to='1000'/>
    <range start='5010' end='5029' exclude='yes'/>
  </portForward>
  <portForward proto='udp'>
    <range start='10101'/>
  </portForward>
  <backend type='passt' logFile='/tmp/xyzzy.log'/>
</interface>
`;

Deno.test("import prints the XML of the seed's passt command", async () => {
  const { code, out, err } = await importCommand(["--", ...SEED_ARGV]);
  assert.equal(code, 0);
  assert.equal(out, SEED_XML);
  assert.match(
    err,
    /note: '--socket \/run\/passtkit\/1-vm-net0.socket' is not part of the XML/,
  );
  assert.match(err, /warning: The interface has no <mac address>/);
});

Deno.test("import then args gives back the same passt command", async () => {
  const imported = await importCommand(["--", ...SEED_ARGV]);
  const file = await Deno.makeTempFile({ suffix: ".xml" });
  try {
    await Deno.writeTextFile(file, imported.out);
    const { io, out } = captureIo();
    const code = await argsCommand.run({
      values: {
        json: true,
        "state-dir": "/run/passtkit",
        "domain-name": "vm",
        "no-mkdir": true,
      },
      positionals: [file],
      io,
    });
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out()).argv, SEED_ARGV);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("import lists options with no XML equivalent on standard error", async () => {
  const { code, out, err } = await importCommand([
    "--",
    "passt",
    "-f",
    "-D",
    "1.1.1.1",
    "--no-dhcp",
    "-t",
    "80",
  ]);
  assert.equal(code, 0);
  assert.match(out, /<range start='80'\/>/);
  assert.match(err, /warning: '-D 1\.1\.1\.1' left out: /);
  assert.match(err, /warning: '--no-dhcp' left out: /);
  assert.match(err, /note: '-f' is not part of the XML/);
});

Deno.test("import exits 1 with no XML when passt would refuse the command line", async () => {
  const { code, out, err } = await importCommand([
    "--",
    "passt",
    "--bogus",
    "-t",
    "40010-40000",
  ]);
  assert.equal(code, 1);
  assert.equal(out, "");
  assert.match(err, /error: unrecognized option '--bogus'/);
  assert.match(err, /error: Invalid port spec '40010-40000'/);
});

Deno.test("import refuses no command and a single quoted string", async () => {
  assert.equal((await importCommand([])).code, 2);
  const quoted = await importCommand(["--", "passt -t 80"]);
  assert.equal(quoted.code, 2);
  assert.match(quoted.err, /separate words/);
});

Deno.test("import refuses another program's command line", async () => {
  const { code, out, err } = await importCommand(["--", "ls", "-l"]);
  assert.equal(code, 1);
  assert.equal(out, "");
  assert.match(
    err,
    /^passtkit: error: 'ls' is not passt: give passt's command line/,
  );
  assert.doesNotMatch(err, /option requires an argument/);
  // No warning about XML that is not printed.
  assert.doesNotMatch(err, /warning/);
});
