// The passtkit command line driven as a user drives it: a separate process,
// arguments, standard input, exit codes and output.

import assert from "node:assert/strict";
import { passtkit } from "./_cli.ts";

const SEED = "examples/seed.xml";
const BROKEN = "examples/broken.xml";
/** Every command `passtkit --help` lists. */
const COMMAND_NAMES = [
  "validate",
  "format",
  "explain",
  "ports",
  "args",
  "import",
  "run",
  "stop",
];

Deno.test("passtkit --help lists every command and exits 0", async () => {
  const { code, stdout } = await passtkit(["--help"]);
  assert.equal(code, 0);
  for (const name of COMMAND_NAMES) {
    assert.match(stdout, new RegExp(`^  ${name} `, "m"), name);
  }
});

Deno.test("passtkit with no arguments prints help to stderr and exits 2", async () => {
  const { code, stdout, stderr } = await passtkit([]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.match(stderr, /^Usage: passtkit COMMAND/m);
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

Deno.test("help with more than one word is a usage error", async () => {
  const { code, stdout, stderr } = await passtkit([
    "help",
    "validate",
    "extra",
  ]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    "passtkit: help: takes one COMMAND, not 'validate extra'; see 'passtkit --help'\n",
  );
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

Deno.test("option mistakes are told in passtkit's words", async () => {
  const cases: [string[], string][] = [
    [
      ["validate", "--json=yes", SEED],
      "passtkit: validate: option '--json' takes no value; see 'passtkit validate --help'\n",
    ],
    [
      ["stop", "--pidfile"],
      "passtkit: stop: option '--pidfile' needs a value (--pidfile FILE); see 'passtkit stop --help'\n",
    ],
    [
      ["stop", "--pidfile", "--json"],
      "passtkit: stop: option '--pidfile' needs a value (--pidfile FILE), not '--json' (write --pidfile=--json if that is the value); see 'passtkit stop --help'\n",
    ],
    [
      ["args", "--domain-id", "-x", SEED],
      "passtkit: args: option '--domain-id' needs a value (--domain-id N), not '-x' (write --domain-id=-x if that is the value); see 'passtkit args --help'\n",
    ],
  ];
  for (const [args, expected] of cases) {
    const { code, stdout, stderr } = await passtkit(args);
    assert.equal(code, 2, args.join(" "));
    assert.equal(stdout, "", args.join(" "));
    assert.equal(stderr, expected);
  }
});

Deno.test("args: a negative --domain-id, as libvirt's tests use, in both spellings", async () => {
  for (const args of [["--domain-id", "-1"], ["--domain-id=-1"]]) {
    const { code, stdout, stderr } = await passtkit([
      "args",
      "--no-mkdir",
      "--state-dir",
      "/run/pk",
      ...args,
      SEED,
    ]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, / --socket \/run\/pk\/-1-seed-net0\.socket /);
  }
});

Deno.test("args: a '/' in --domain-name is a usage error, not the file's", async () => {
  const { code, stdout, stderr } = await passtkit([
    "args",
    "--domain-name",
    "a b/c",
    SEED,
  ]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    "passtkit: args: --domain-name cannot contain '/', got 'a b/c'\n",
  );
});

Deno.test("explain --json: an invalid file is a JSON record with its diagnostics", async () => {
  const { code, stdout, stderr } = await passtkit([
    "explain",
    "--json",
    BROKEN,
  ]);
  assert.equal(code, 1);
  assert.equal(stderr, "");
  const record = JSON.parse(stdout);
  assert.deepEqual(Object.keys(record), ["file", "diagnostics"]);
  assert.equal(record.file, BROKEN);
  assert.ok(
    record.diagnostics.some((d: { message: string }) =>
      d.message === "Only one IPv4 address per interface is allowed"
    ),
  );
});

Deno.test("--json: a file that cannot be read is a record too, and a line on stderr", async () => {
  for (const command of ["validate", "explain", "ports", "args"]) {
    const { code, stdout, stderr } = await passtkit([
      command,
      "--json",
      "no/such.xml",
    ]);
    assert.equal(code, 2, command);
    assert.deepEqual(JSON.parse(stdout), {
      file: "no/such.xml",
      error: "cannot read: no such file",
    });
    assert.equal(stderr, "passtkit: no/such.xml: cannot read: no such file\n");
  }
});

Deno.test("run --json: a file that cannot be read is a typed record too, exit 2", async () => {
  const { code, stdout, stderr } = await passtkit([
    "run",
    "--json",
    "no/such.xml",
  ]);
  assert.equal(code, 2);
  assert.deepEqual(JSON.parse(stdout), {
    type: "unreadable",
    file: "no/such.xml",
    error: "cannot read: no such file",
  });
  assert.equal(stderr, "passtkit: no/such.xml: cannot read: no such file\n");
});

Deno.test("explain/args --json: a file without interfaces prints no record, a note on stderr, exit 0", async () => {
  const empty = "<domain><name>empty</name><devices/></domain>\n";
  const explain = await passtkit(["explain", "--json", "-"], { stdin: empty });
  assert.equal(explain.code, 0);
  assert.equal(explain.stdout, "");
  assert.equal(explain.stderr, "passtkit: <stdin>: no <interface> elements\n");
  const args = await passtkit(["args", "--json", "--no-mkdir", "-"], {
    stdin: empty,
  });
  assert.equal(args.code, 0);
  assert.equal(args.stdout, "");
  assert.equal(
    args.stderr,
    "passtkit: <stdin>: no interface uses the passt backend\n",
  );
});

Deno.test("import --json: one record with the XML, the notes and the diagnostics", async () => {
  const { code, stdout, stderr } = await passtkit([
    "import",
    "--json",
    "--",
    "passt",
    "-f",
    "-t",
    "2022:22",
    "-D",
    "1.1.1.1",
  ]);
  assert.equal(code, 0);
  assert.equal(stderr, "");
  const record = JSON.parse(stdout);
  assert.deepEqual(Object.keys(record), [
    "xml",
    "runtime",
    "unsupported",
    "errors",
    "diagnostics",
  ]);
  assert.match(record.xml, /<range start='2022' to='22'\/>/);
  assert.deepEqual(record.runtime.map((n: { option: string }) => n.option), [
    "-f",
  ]);
  assert.deepEqual(record.unsupported[0], {
    option: "-D",
    value: "1.1.1.1",
    reason: record.unsupported[0].reason,
  });
  assert.deepEqual(record.errors, []);
  const bad = await passtkit(["import", "--json", "--", "passt", "-t", "x"]);
  assert.equal(bad.code, 1);
  const invalid = JSON.parse(bad.stdout);
  assert.equal(invalid.xml, null);
  assert.ok(invalid.errors.length > 0);
});

Deno.test("import follows passt 2023 like validate; --target 2026 for both", async () => {
  const argv = ["--", "passt", "-t", "127.0.0.1/all"];
  const old = await passtkit(["import", ...argv]);
  assert.equal(old.code, 1);
  assert.match(old.stderr, /not accepted by passt 2023/);
  const newest = await passtkit(["import", "--target", "2026", ...argv]);
  assert.equal(newest.code, 0, newest.stderr);
  const checked = await passtkit(["validate", "--target", "2026", "-"], {
    stdin: newest.stdout,
  });
  assert.equal(checked.code, 0, checked.stdout);
  const strict = await passtkit(["validate", "-"], { stdin: newest.stdout });
  assert.equal(strict.code, 1);
  const args = await passtkit([
    "args",
    "--no-mkdir",
    "--state-dir",
    "/run/pk",
    "--target",
    "2026",
    "-",
  ], { stdin: newest.stdout });
  assert.equal(args.code, 0, args.stderr);
  assert.match(args.stdout, /--tcp-ports 127\.0\.0\.1\/all/);
  const wrong = await passtkit(["validate", "--target", "2024", SEED]);
  assert.equal(wrong.code, 2);
  assert.equal(
    wrong.stderr,
    "passtkit: validate: --target must be 2023 or 2026, not '2024'\n",
  );
});

Deno.test("import without '--' hints at it", async () => {
  const { code, stderr } = await passtkit(["import", "passt", "-t", "22"]);
  assert.equal(code, 2);
  assert.equal(
    stderr,
    "passtkit: import: unknown option '-t'; put '--' before the passt command line: passtkit import -- passt ...; see 'passtkit import --help'\n",
  );
});

Deno.test("help: usage lines end in [OPTIONS] and the texts agree with the code", async () => {
  for (const name of COMMAND_NAMES) {
    const { stdout } = await passtkit([name, "--help"]);
    const usage = stdout.split("\n")[0]!;
    assert.match(usage, /\[OPTIONS\]/, usage);
    assert.doesNotMatch(usage, /\[--/, usage);
  }
  const args = (await passtkit(["args", "--help"])).stdout;
  const run = (await passtkit(["run", "--help"])).stdout;
  const line = (text: string, option: string) =>
    text.split("\n").find((l) => l.trimStart().startsWith(option));
  for (
    const option of [
      "--domain-id",
      "--domain-name",
      "--passt",
      "--state-dir",
      "--target",
    ]
  ) {
    assert.ok(line(run, option), option);
    assert.equal(line(run, option), line(args, option), option);
  }
  assert.match(line(run, "--domain-id")!, /<domain id>, else 1/);
  assert.match(line(run, "--json")!, /event.*then|once every passt is ready/);
  assert.match(
    line(args, "--target")!,
    /2023 \(Debian 12's passt, the default\) or 2026 \(newest\)/,
  );
});

Deno.test("the document's <domain id> is the default id, else 1", async () => {
  const domain =
    "<domain><name>d</name><devices><interface type='user'><backend type='passt'/></interface></devices></domain>";
  const withId = domain.replace("<domain>", "<domain id='7'>");
  for (const [xml, id] of [[domain, "1"], [withId, "7"]]) {
    const { stdout } = await passtkit([
      "args",
      "--no-mkdir",
      "--state-dir",
      "/run/pk",
      "-",
    ], { stdin: xml });
    assert.match(
      stdout,
      new RegExp(` --socket /run/pk/${id}-d-net0\\.socket `),
    );
  }
});

Deno.test("explain and format print the warnings on stderr", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/seed.xml`;
    await Deno.copyFile(SEED, file);
    const { code, stderr } = await passtkit(["format", "-i", file]);
    assert.equal(code, 0);
    assert.equal(
      stderr,
      `${file}:5:50: warning: Released libvirt ignores <backend upstream='eth0'>; passtkit treats it as <source dev='eth0'/>\n`,
    );
    const explain = await passtkit(["explain", SEED]);
    assert.match(explain.stderr, /^examples\/seed\.xml:5:50: warning: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("format --in-place writes through a symbolic link", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/real`);
    await Deno.copyFile(SEED, `${dir}/real/vm.xml`);
    await Deno.symlink("real/vm.xml", `${dir}/vm.xml`);
    const { code, stderr } = await passtkit([
      "format",
      "--in-place",
      `${dir}/vm.xml`,
    ]);
    assert.equal(code, 0, stderr);
    assert.ok((await Deno.lstat(`${dir}/vm.xml`)).isSymlink);
    assert.equal(await Deno.readLink(`${dir}/vm.xml`), "real/vm.xml");
    assert.match(
      await Deno.readTextFile(`${dir}/real/vm.xml`),
      /<source dev='eth0'\/>/,
    );
    assert.deepEqual([...Deno.readDirSync(`${dir}/real`)].map((e) => e.name), [
      "vm.xml",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "format --in-place keeps the owner, group and mode (as root)",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/vm.xml`;
      await Deno.copyFile(SEED, file);
      await Deno.chown(file, 65534, 65534);
      await Deno.chmod(file, 0o640);
      const { code, stderr } = await passtkit(["format", "-i", file]);
      assert.equal(code, 0, stderr);
      const info = await Deno.stat(file);
      assert.equal(info.uid, 65534);
      assert.equal(info.gid, 65534);
      assert.equal(info.mode! & 0o7777, 0o640);
      assert.match(await Deno.readTextFile(file), /<source dev='eth0'\/>/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("explain and ports name interfaces as libvirt and args do", async () => {
  // libvirt keeps only the user alias ua-x; the others get net0, net1 in
  // order (the third is net1, not net<position>).
  const xml = `<domain><name>d</name><devices>
  <interface type='user'><alias name='net0'/><backend type='passt'/></interface>
  <interface type='user'><alias name='ua-x'/><backend type='passt'/></interface>
  <interface type='user'><backend type='passt'/></interface>
</devices></domain>
`;
  const aliases = async (...args: string[]) => {
    const { stdout } = await passtkit([...args, "--json", "-"], { stdin: xml });
    return stdout.trim().split("\n").map((l) => JSON.parse(l).alias);
  };
  const expected = ["net0", "ua-x", "net1"];
  assert.deepEqual(await aliases("args", "--no-mkdir"), expected);
  assert.deepEqual(await aliases("explain"), expected);
  assert.deepEqual(await aliases("ports"), expected);
});

Deno.test("explain/args/run --json: a valid file's warnings still reach stderr, stdout stays JSON", async () => {
  const upstream =
    "examples/seed.xml:5:50: warning: Released libvirt ignores <backend upstream='eth0'>; passtkit treats it as <source dev='eth0'/>\n";
  for (const command of ["explain", "args"]) {
    const { code, stdout, stderr } = await passtkit([
      command,
      "--json",
      "examples/seed.xml",
    ]);
    assert.equal(code, 0, command);
    assert.ok(stderr.includes(upstream), `${command}: ${stderr}`);
    for (const line of stdout.trim().split("\n")) JSON.parse(line);
  }
  const run = await passtkit([
    "run",
    "--json",
    "--passt",
    "/nonexistent",
    "examples/seed.xml",
  ]);
  assert.equal(run.code, 2);
  assert.ok(run.stderr.startsWith(upstream), run.stderr);
});

Deno.test("run --json: a file without passt interfaces is a failed record, exit 1", async () => {
  const { code, stdout, stderr } = await passtkit(["run", "--json", "-"], {
    stdin:
      "<domain><name>net</name><devices><interface type='network'><source network='default'/></interface></devices></domain>\n",
  });
  assert.equal(code, 1);
  assert.deepEqual(JSON.parse(stdout), {
    type: "failed",
    file: "<stdin>",
    message: "no interface uses the passt backend",
  });
  assert.equal(
    stderr,
    "passtkit: <stdin>: no interface uses the passt backend\n",
  );
});

Deno.test("an option named like an Object property is still unknown", async () => {
  const { code, stderr } = await passtkit(["validate", "--constructor", SEED]);
  assert.equal(code, 2);
  assert.equal(
    stderr,
    "passtkit: validate: unknown option '--constructor'; see 'passtkit validate --help'\n",
  );
});

Deno.test("args: a relative --state-dir is taken from the current directory", async () => {
  const { code, stdout } = await passtkit([
    "args",
    "--no-mkdir",
    "--state-dir",
    "rel/state",
    SEED,
  ]);
  assert.equal(code, 0);
  // passtkit() runs in the repository root.
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  assert.ok(
    stdout.includes(` --socket ${root}/rel/state/1-seed-net0.socket `),
    stdout,
  );
});

Deno.test("deno task passtkit takes file names from the directory it is run in", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "passtkit", "validate", "seed.xml"],
    cwd: new URL("../examples/", import.meta.url),
    // As from a shell: not the INIT_CWD of a `deno task test` around this
    // test, which deno task would keep.
    clearEnv: true,
    env: {
      NO_COLOR: "1",
      ...Object.fromEntries(
        ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME"].flatMap((name) => {
          const value = Deno.env.get(name);
          return value === undefined ? [] : [[name, value]];
        }),
      ),
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assert.equal(code, 0, text.decode(stderr));
  assert.match(text.decode(stdout), /^seed\.xml:5:50: warning: /);
});
