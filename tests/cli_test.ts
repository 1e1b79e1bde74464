// The passtkit command line driven as a user drives it: a separate process,
// arguments, standard input, exit codes and output.

import assert from "node:assert/strict";
import { passtkit } from "./_cli.ts";

const SEED = "examples/seed.xml";
const BROKEN = "examples/broken.xml";

Deno.test("passtkit --help lists every command and exits 0", async () => {
  const { code, stdout } = await passtkit(["--help"]);
  assert.equal(code, 0);
  for (
    const name of [
      "validate",
      "format",
      "explain",
      "ports",
      "args",
      "import",
      "run",
      "stop",
    ]
  ) {
    assert.match(stdout, new RegExp(`^  ${name} `, "m"), name);
  }
});

Deno.test("passtkit with no arguments prints help and exits 2", async () => {
  const { code, stdout } = await passtkit([]);
  assert.equal(code, 2);
  assert.match(stdout, /^Usage: passtkit COMMAND/m);
});

Deno.test("passtkit --version prints the workspace version", async () => {
  const version = JSON.parse(
    await Deno.readTextFile(
      new URL("../packages/cli/deno.json", import.meta.url),
    ),
  ).version;
  const { code, stdout } = await passtkit(["--version"]);
  assert.equal(code, 0);
  assert.equal(stdout, `passtkit ${version}\n`);
});

Deno.test("every command has help with a usage line, its options and an example", async () => {
  const { stdout: main } = await passtkit(["--help"]);
  const names = [...main.matchAll(/^ {2}([a-z]+) {2}/gm)].map((m) => m[1]!);
  assert.ok(names.length >= 4);
  for (const name of names) {
    const viaFlag = await passtkit([name, "--help"]);
    const viaHelp = await passtkit(["help", name]);
    assert.equal(viaFlag.code, 0, name);
    assert.equal(viaHelp.stdout, viaFlag.stdout, name);
    assert.match(viaFlag.stdout, new RegExp(`^Usage: passtkit ${name}`), name);
    assert.match(viaFlag.stdout, /^Options:\n( {2}.+\n)+/m, name);
    assert.match(viaFlag.stdout, /-h, --help/, name);
    assert.match(
      viaFlag.stdout,
      new RegExp(`^Example:\n  passtkit ${name}`, "m"),
      name,
    );
  }
});

Deno.test("an unknown command gets one line with a suggestion and exit 2", async () => {
  const { code, stdout, stderr } = await passtkit(["valdate", SEED]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    "passtkit: unknown command 'valdate' (did you mean 'validate'?); see 'passtkit --help'\n",
  );
});

Deno.test("an unknown option gets one line with a suggestion and exit 2", async () => {
  const { code, stderr } = await passtkit(["validate", "--jsn", SEED]);
  assert.equal(code, 2);
  assert.equal(
    stderr,
    "passtkit: validate: unknown option '--jsn' (did you mean '--json'?); see 'passtkit validate --help'\n",
  );
});

Deno.test("validate: a valid file exits 0 and prints only its warnings", async () => {
  const { code, stdout, stderr } = await passtkit(["validate", SEED]);
  assert.equal(code, 0);
  assert.equal(stderr, "");
  assert.match(stdout, /^examples\/seed\.xml:5:50: warning: .*upstream/);
  assert.equal(stdout.trim().split("\n").length, 1);
});

Deno.test("validate: every problem of a broken file, FILE:LINE:COLUMN form, exit 1", async () => {
  const { code, stdout } = await passtkit(["validate", BROKEN]);
  assert.equal(code, 1);
  const lines = stdout.trim().split("\n");
  for (const line of lines) {
    assert.match(line, /^examples\/broken\.xml:\d+:\d+: (error|warning): \S/);
  }
  assert.ok(
    lines.includes(
      "examples/broken.xml:12:12: error: Invalid value for attribute 'start' in element 'range': Zero is not permitted",
    ),
  );
  assert.ok(
    lines.includes(
      "examples/broken.xml:5:3: error: Only one IPv4 address per interface is allowed",
    ),
  );
  assert.ok(lines.filter((l) => l.includes(": error: ")).length >= 8);
});

Deno.test("validate --json: one object per file with the documented keys", async () => {
  const { code, stdout } = await passtkit(["validate", "--json", SEED, BROKEN]);
  assert.equal(code, 1);
  const records = stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(records.length, 2);
  assert.deepEqual(Object.keys(records[0]), ["file", "valid", "diagnostics"]);
  assert.equal(records[0].file, SEED);
  assert.equal(records[0].valid, true);
  assert.equal(records[1].valid, false);
  for (const d of records[1].diagnostics) {
    assert.deepEqual(Object.keys(d), [
      "severity",
      "code",
      "message",
      "line",
      "column",
    ]);
  }
});

Deno.test("validate: not well-formed XML is one error at the parser's position", async () => {
  const { code, stdout } = await passtkit(["validate", "-"], {
    stdin: "<interface type='user'>\n  <mac address='x'>\n</interface>\n",
  });
  assert.equal(code, 1);
  assert.match(stdout, /^<stdin>:3:\d+: error: .+\n$/);
});

Deno.test("validate: a missing file is an I/O error, exit 2, no stack trace", async () => {
  const { code, stderr } = await passtkit(["validate", "no/such/file.xml"]);
  assert.equal(code, 2);
  assert.equal(
    stderr,
    "passtkit: no/such/file.xml: cannot read: no such file\n",
  );
});

Deno.test("validate: no FILE is a usage error", async () => {
  const { code, stderr } = await passtkit(["validate"]);
  assert.equal(code, 2);
  assert.match(stderr, /^passtkit: validate: no FILE given/);
});

Deno.test("format: canonical XML of stdin on stdout, and formatting it again changes nothing", async () => {
  const seed = await Deno.readTextFile(SEED);
  const once = await passtkit(["format", "-"], { stdin: seed });
  assert.equal(once.code, 0);
  assert.match(once.stdout, /^ {2}<source dev='eth0'\/>$/m);
  assert.doesNotMatch(once.stdout, /upstream/);
  const twice = await passtkit(["format", "-"], { stdin: once.stdout });
  assert.equal(twice.stdout, once.stdout);
});

Deno.test("format --in-place rewrites valid files and leaves invalid ones untouched", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = `${dir}/good.xml`;
    const bad = `${dir}/bad.xml`;
    await Deno.copyFile(SEED, good);
    await Deno.chmod(good, 0o640);
    await Deno.copyFile(BROKEN, bad);
    const badBefore = await Deno.readTextFile(bad);
    const { code, stderr } = await passtkit([
      "format",
      "--in-place",
      good,
      bad,
    ]);
    assert.equal(code, 1);
    assert.match(stderr, /bad\.xml:\d+:\d+: error: /);
    assert.match(stderr, /bad\.xml: not formatted/);
    assert.equal(await Deno.readTextFile(bad), badBefore);
    const formatted = await Deno.readTextFile(good);
    assert.match(formatted, /<source dev='eth0'\/>/);
    assert.equal((await Deno.stat(good)).mode! & 0o777, 0o640);
    const leftovers = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(leftovers, ["bad.xml", "good.xml"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("format: two files without --in-place is a usage error", async () => {
  const { code, stderr } = await passtkit(["format", SEED, SEED]);
  assert.equal(code, 2);
  assert.match(stderr, /more than one FILE needs --in-place/);
});

Deno.test("explain: the seed in plain English, one bullet per fact", async () => {
  const { code, stdout } = await passtkit(["explain", SEED]);
  assert.equal(code, 0);
  for (
    const fact of [
      "the guest will be offered address 192.168.221.122 for its interface via DHCP",
      "the passt process will write all log messages to /tmp/xyzzy.log",
      "routes to the outside are derived from host interface eth0",
      "incoming udp port 10101 is forwarded to the same port on the guest",
    ]
  ) {
    assert.ok(stdout.includes(`  - ${fact}\n`), fact);
  }
  assert.match(stdout, /5000-5099 \(except 5010-5029\).*1000-1099/);
});

Deno.test("explain --json and an invalid file", async () => {
  const ok = await passtkit(["explain", "--json", SEED]);
  const record = JSON.parse(ok.stdout);
  assert.equal(record.alias, "net0");
  assert.ok(record.facts.length >= 8);
  const bad = await passtkit(["explain", BROKEN]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /^examples\/broken\.xml:\d+:\d+: error: /);
});

Deno.test("no stack trace reaches the user for any user mistake", async () => {
  for (
    const args of [
      ["validate", "/"],
      ["format", "-"],
      ["explain", "examples"],
      ["nope"],
      ["validate", "--json=3", SEED],
    ]
  ) {
    const { stderr, stdout } = await passtkit(args, { stdin: "<x" });
    assert.doesNotMatch(stderr + stdout, /\n\s+at /, args.join(" "));
  }
});
