/**
 * Start-up cost of the command line: the wall time of
 * `passtkit args examples/seed.xml` side by side with `deno run` of an empty
 * script under the same flags, interleaved, as medians and their ratio. Two
 * more rows put it in scale: `passtkit --version` (the dispatcher alone) and a
 * script that only calls `node:util` `parseArgs` (Deno's Node layer).
 *
 * Run: `deno run -A scripts/bench_cli.ts [RUNS]` (default 30 runs each).
 *
 * @module
 */

import { defaultStateDir } from "@passtkit/args";

const runs = Number(Deno.args[0] ?? 30);
const root = new URL("..", import.meta.url).pathname;
const main = `${root}packages/cli/main.ts`;

// In the repository, so that every run finds and reads the same deno.json.
async function script(prefix: string, text: string): Promise<string> {
  const path = await Deno.makeTempFile({ dir: root, prefix, suffix: ".ts" });
  await Deno.writeTextFile(path, text);
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function time(args: string[]): Promise<number> {
  const start = performance.now();
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd: root,
    stdout: "null",
    stderr: "null",
  }).output();
  const elapsed = performance.now() - start;
  if (code !== 0) throw new Error(`deno run ${args.join(" ")} exited ${code}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// `passtkit args` creates the state directory a pasted command needs; one the
// benchmark created is removed again at the end.
const stateDir = defaultStateDir();
const stateDirExisted = await exists(stateDir);
const empty = await script(".bench-empty-", "");
const nodeUtil = await script(
  ".bench-parse-args-",
  'import { parseArgs } from "node:util";\n' +
    "parseArgs({ args: Deno.args, strict: false });\n",
);
const rows: [string, string[]][] = [
  ["deno run <empty script>", [empty]],
  ["script calling node:util parseArgs", [nodeUtil]],
  ["passtkit --version", [main, "--version"]],
  ["passtkit args examples/seed.xml", [main, "args", "examples/seed.xml"]],
];

try {
  // Warm the module and code caches, as a user's second run would find them.
  for (const [, args] of rows) await time(args);
  const samples: number[][] = rows.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, [, args]] of rows.entries()) {
      samples[j]!.push(await time(args));
    }
  }
  const baseline = median(samples[0]!);
  console.log(`runs each: ${runs}, wall time medians`);
  for (const [j, [label]] of rows.entries()) {
    const value = median(samples[j]!);
    console.log(
      `${label.padEnd(36)} ${value.toFixed(1).padStart(6)} ms  ${
        (value / baseline).toFixed(2)
      }x`,
    );
  }
  console.log("goal for passtkit args examples/seed.xml: <= 1.25x");
} finally {
  await Deno.remove(empty);
  await Deno.remove(nodeUtil);
  if (!stateDirExisted) await Deno.remove(stateDir).catch(() => {});
}
