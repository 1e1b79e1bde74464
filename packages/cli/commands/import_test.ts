import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { runCli } from "../run_cli.ts";
import { COMMANDS } from "../commands.ts";
import { type CommandIo, UsageError } from "../_command.ts";
import { command } from "./import.ts";
import { command as argsCommand } from "./args.ts";

interface Captured {
  code: number;
  out: string;
  err: string;
}

function capture(): { io: CommandIo; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    io: {
      out: (text) => void (out += text),
      err: (text) => void (err += text),
      readStdin: () => Promise.resolve(""),
      color: false,
    },
    out: () => out,
    err: () => err,
  };
}

/** Runs `passtkit import ARGS` with captured streams. */
async function importCommand(argv: string[]): Promise<Captured> {
  const { io, out, err } = capture();
  if (COMMANDS.some((c) => c.name === "import")) {
    const code = await runCli(["import", ...argv], io);
    return { code, out: out(), err: err() };
  }
  // Until the command is listed in commands.ts, parse the arguments the way
  // the dispatcher does and run the command directly.
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {},
      allowPositionals: true,
      strict: true,
    });
    const code = await command.run({ values, positionals, io });
    return { code, out: out(), err: err() };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { code: 2, out: out(), err: err() + `passtkit: ${error.message}\n` };
  }
}

const SEED_ARGV = [
  "passt",
  "--one-off",
  "--socket",
  "/run/passtkit/1-vm-net0.socket",
  "--pid",
  "/run/passtkit/1-vm-net0-passt.pid",
  "--interface",
  "eth0",
  "--log-file",
  "/tmp/xyzzy.log",
  "--address",
  "192.168.221.122",
  "--tcp-ports",
  "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
  "--udp-ports",
  "10101",
];

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
    const { io, out } = capture();
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
