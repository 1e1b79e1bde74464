// How the passtkit command line uses its streams: a reader that goes away,
// standard input given twice, colour decided per stream, and which stream
// diagnostics go to.

import assert from "node:assert/strict";
import { passtkit, REPO_ROOT, spawnPasstkit } from "./_cli.ts";

const MAIN = `${REPO_ROOT}packages/cli/main.ts`;
const SEED = "examples/seed.xml";
const BROKEN = "examples/broken.xml";
const ESC = "\x1b[";

/** Runs passtkit with one of its output streams closed before it writes. */
async function withClosed(
  stream: "stdout" | "stderr",
  args: readonly string[],
): Promise<{ code: number; other: string }> {
  const child = spawnPasstkit(args);
  const open = stream === "stdout" ? child.stderr : child.stdout;
  await (stream === "stdout" ? child.stdout : child.stderr).cancel();
  const other = await new Response(open).text();
  const { code } = await child.status;
  return { code, other };
}

Deno.test("a closed standard output ends quietly with the command's exit status", async () => {
  // Far more than a pipe holds, so writing surely meets the closed pipe.
  const many = Array.from({ length: 200 }, () => SEED);
  const explained = await withClosed("stdout", ["explain", ...many]);
  assert.equal(explained.code, 0);
  assert.doesNotMatch(explained.other, /BrokenPipe|Uncaught|\n\s+at /);
  const invalid = await withClosed("stdout", [
    "validate",
    ...Array.from({ length: 100 }, () => BROKEN),
  ]);
  assert.equal(invalid.code, 1);
  assert.equal(invalid.other, "");
});

Deno.test({
  name:
    "a standard output that cannot be written (a full disk) is one line and exit 2",
  ignore: !(() => {
    try {
      return Deno.statSync("/dev/full").isCharDevice === true;
    } catch {
      return false;
    }
  })(),
  fn: async () => {
    for (const args of [["validate", BROKEN], ["--help"], ["args", SEED]]) {
      // The shell opens /dev/full as standard output, as `> /dev/full` does.
      const { code, stderr } = await new Deno.Command("sh", {
        args: [
          "-c",
          'exec "$0" run -A --quiet "$@" > /dev/full',
          Deno.execPath(),
          MAIN,
          ...args,
        ],
        cwd: REPO_ROOT,
        env: { NO_COLOR: "1" },
        stdout: "null",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(stderr);
      assert.equal(code, 2, `${args.join(" ")}: ${text}`);
      assert.match(
        text,
        /passtkit: cannot write to standard output: No space left on device\n$/,
      );
      assert.doesNotMatch(text, /Uncaught|\n\s+at /);
    }
  },
});

Deno.test("a closed standard error does not change the exit status", async () => {
  const missing = await withClosed("stderr", ["validate", "no/such.xml"]);
  assert.equal(missing.code, 2);
  assert.equal(missing.other, "");
});

Deno.test("'-' twice is a usage error, not a trace", async () => {
  const seed = await Deno.readTextFile(SEED);
  for (const command of ["validate", "explain", "args", "ports"]) {
    const { code, stdout, stderr } = await passtkit([command, "-", "-"], {
      stdin: seed,
    });
    assert.equal(code, 2, command);
    assert.equal(stdout, "", command);
    assert.equal(
      stderr,
      `passtkit: ${command}: '-' (standard input) can be given only once\n`,
    );
  }
});

Deno.test("diagnostics are the output of validate and ports (stdout), and accompany that of format, explain and args (stderr)", async () => {
  const validate = await passtkit(["validate", SEED]);
  assert.match(validate.stdout, /^examples\/seed\.xml:5:50: warning: /);
  assert.equal(validate.stderr, "");
  const ports = await passtkit(["ports", BROKEN]);
  assert.match(ports.stdout, /^examples\/broken\.xml:\d+:\d+: error: /m);
  for (const command of ["format", "explain", "args"]) {
    const { stdout, stderr } = await passtkit([command, SEED]);
    assert.match(
      stderr,
      /^examples\/seed\.xml:5:50: warning: .*upstream/m,
      command,
    );
    assert.doesNotMatch(stdout, /warning:/, command);
  }
});

Deno.test("no colour on pipes even without NO_COLOR", async () => {
  for (const args of [["validate", BROKEN], ["explain", SEED]]) {
    const { stdout, stderr } = await passtkit(args, { env: { NO_COLOR: "" } });
    assert.ok(!stdout.includes(ESC) && !stderr.includes(ESC), args.join(" "));
  }
});

const hasScript = await Deno.stat("/usr/bin/script").then(
  () => true,
  () => false,
);

/** Runs `passtkit ARGS REDIRECT` on a pseudo-terminal; returns what the terminal showed. */
async function onTerminal(
  args: string,
  redirect: string,
  env: Record<string, string> = {},
): Promise<string> {
  const deno = Deno.execPath();
  const { stdout } = await new Deno.Command("/usr/bin/script", {
    args: [
      "-qec",
      `'${deno}' run -A --quiet '${MAIN}' ${args} ${redirect}`,
      "/dev/null",
    ],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(stdout);
}

Deno.test({
  name: "colour is decided for standard output and standard error separately",
  ignore: !hasScript,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      // validate: stdout on the terminal is coloured, stderr in a file not.
      const shown = await onTerminal(
        `validate ${SEED}`,
        `2>'${dir}/err'`,
      );
      assert.ok(shown.includes(`${ESC}1;33mwarning:`), shown);
      // explain: its warnings go to stderr; on the terminal they are
      // coloured even though stdout is a file ...
      const warned = await onTerminal(`explain ${SEED}`, `>'${dir}/out'`);
      assert.ok(warned.includes(`${ESC}1;33mwarning:`), warned);
      assert.ok(!(await Deno.readTextFile(`${dir}/out`)).includes(ESC));
      // ... and plain in a file even though stdout is the terminal.
      await onTerminal(`explain ${SEED}`, `2>'${dir}/err'`);
      const err = await Deno.readTextFile(`${dir}/err`);
      assert.match(err, /^examples\/seed\.xml:5:50: warning: /);
      assert.ok(!err.includes(ESC));
      // NO_COLOR wins on a terminal.
      const plain = await onTerminal(`validate ${SEED}`, "", { NO_COLOR: "1" });
      assert.ok(!plain.includes(ESC), plain);
      assert.match(plain, /warning:/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("bare passtkit prints its help to stderr; help --help to stdout", async () => {
  const bare = await passtkit([]);
  assert.equal(bare.code, 2);
  assert.equal(bare.stdout, "");
  assert.match(bare.stderr, /^Usage: passtkit COMMAND/m);
  for (const args of [["help", "--help"], ["help", "-h"], ["help", "help"]]) {
    const { code, stdout, stderr } = await passtkit(args);
    assert.equal(code, 0, args.join(" "));
    assert.equal(stderr, "", args.join(" "));
    assert.match(stdout, /^Usage: passtkit COMMAND/m, args.join(" "));
  }
});
