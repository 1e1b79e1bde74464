/**
 * Start-up cost of the command line: the wall time of
 * `passtkit args examples/seed.xml` side by side with `deno run` of an empty
 * script under the same flags, interleaved, as medians and their ratio.
 *
 * Run: `deno run -A scripts/bench_cli.ts [RUNS]` (default 30 runs each).
 *
 * @module
 */

const runs = Number(Deno.args[0] ?? 30);
const root = new URL("..", import.meta.url).pathname;
const main = `${root}packages/cli/main.ts`;
// In the repository, so that both runs find and read the same deno.json.
const empty = await Deno.makeTempFile({
  dir: root,
  prefix: ".bench-empty-",
  suffix: ".ts",
});
await Deno.writeTextFile(empty, "");

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

try {
  // Warm the module cache and type-check once, as a user's second run would.
  await time([main, "args", "--no-mkdir", "examples/seed.xml"]);
  await time([empty]);
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(await time([main, "args", "--no-mkdir", "examples/seed.xml"]));
    baseline.push(await time([empty]));
  }
  const a = median(ours);
  const b = median(baseline);
  console.log(`runs each:                         ${runs}`);
  console.log(`passtkit args examples/seed.xml:   ${a.toFixed(1)} ms (median)`);
  console.log(`deno run <empty script>:           ${b.toFixed(1)} ms (median)`);
  console.log(
    `ratio:                             ${(a / b).toFixed(2)}x (goal <= 1.25x)`,
  );
} finally {
  await Deno.remove(empty);
}
