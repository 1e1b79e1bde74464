import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { type ParseArgsOptions, splitArgs } from "./_parse_args.ts";

const OPTIONS: ParseArgsOptions = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  "state-dir": { type: "string" },
  port: { type: "string", multiple: true },
  restart: { type: "string", default: "on-failure" },
};

/** What parseArgs itself returns for the same call, tokens reduced. */
function reference(args: string[]) {
  const { values, positionals, tokens } = parseArgs({
    args,
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  return {
    values,
    positionals,
    options: tokens.flatMap((token) =>
      token.kind === "option"
        ? [{
          name: token.name,
          rawName: token.rawName,
          value: token.value,
          inlineValue: token.inlineValue,
        }]
        : []
    ),
  };
}

async function split(args: string[]) {
  const { values, positionals, options } = await splitArgs(args, OPTIONS);
  return { values, positionals, options };
}

Deno.test("splitArgs gives parseArgs' answer for words without options", async () => {
  // Words that are not options: anything not starting with '-', and '-'.
  const word = fc.oneof(
    fc.string().filter((s) => !s.startsWith("-")),
    fc.constant("-"),
    fc.constantFrom("vm.xml", "a-b", "x--y", " -x", "", "=", "%"),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(word, { maxLength: 6 }), async (args) => {
      assert.deepEqual(await split(args), reference(args));
    }),
    { numRuns: 500 },
  );
});

Deno.test("splitArgs gives parseArgs' answer when options are present", async () => {
  const word = fc.oneof(
    fc.constantFrom(
      "-h",
      "--help",
      "--json",
      "--json=x",
      "--state-dir",
      "--state-dir=/tmp/x",
      "--port",
      "--port=1",
      "--unknown",
      "-x",
      "-hx",
      "--",
      "-",
      "vm.xml",
      "-1",
    ),
    fc.string(),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(word, { maxLength: 6 }), async (args) => {
      assert.deepEqual(await split(args), reference(args));
    }),
    { numRuns: 500 },
  );
});

Deno.test("splitArgs: '--' ends the options and '-' is a positional", async () => {
  assert.deepEqual(await split(["-", "vm.xml"]), {
    values: Object.assign(Object.create(null), { restart: "on-failure" }),
    positionals: ["-", "vm.xml"],
    options: [],
  });
  const after = await split(["--json", "--", "--help", "-"]);
  assert.deepEqual({ ...after.values }, { json: true, restart: "on-failure" });
  assert.deepEqual(after.positionals, ["--help", "-"]);
  assert.deepEqual(after.options.map((o) => o.rawName), ["--json"]);
});

Deno.test("splitArgs reports each option word as written", async () => {
  const { values, options } = await split([
    "--state-dir=/x",
    "-h",
    "--port",
    "1",
  ]);
  assert.deepEqual({ ...values }, {
    "state-dir": "/x",
    help: true,
    port: ["1"],
    restart: "on-failure",
  });
  assert.deepEqual(options, [
    {
      name: "state-dir",
      rawName: "--state-dir",
      value: "/x",
      inlineValue: true,
    },
    { name: "help", rawName: "-h", value: undefined, inlineValue: undefined },
    { name: "port", rawName: "--port", value: "1", inlineValue: false },
  ]);
});
