/**
 * Fixture for the fault tests: runs CYCLES start/stop cycles of passt in
 * LANES concurrent lanes and prints, as one JSON line, this process's open
 * file descriptors before and after, and the passt processes and files left
 * over. It runs in its own process so that other tests' descriptors do not
 * blur the count.
 *
 * Usage: deno run -A tests/supervisor_cycles_fixture.ts STATE_DIR [CYCLES] [LANES]
 */

import { PasstProcess } from "@passtkit/supervisor";

async function main(): Promise<void> {
  const [stateDir, cyclesText = "200", lanesText = "8"] = Deno.args;
  if (stateDir === undefined) {
    console.error(
      "usage: supervisor_cycles_fixture.ts STATE_DIR [CYCLES] [LANES]",
    );
    Deno.exit(2);
  }
  const passt = Deno.env.get("PASST") ?? "passt";
  const cycles = Number(cyclesText);
  const lanes = Number(lanesText);
  const fds = () => [...Deno.readDirSync("/proc/self/fd")].length;

  async function cycle(name: string): Promise<void> {
    await using _process = await PasstProcess.start([passt], {
      stateDir: stateDir!,
      name,
    });
  }

  async function run(count: number): Promise<number> {
    let done = 0;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        while (done < count) {
          done++;
          await cycle(`lane${lane}`);
        }
      }),
    );
    return done;
  }

  // Deno's runtime opens a few descriptors lazily during the first cycles (a
  // socket pair after about ten child processes); count after a warm-up.
  await run(50);
  const before = fds();
  const done = await run(cycles);
  const after = fds();
  const children: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(rest[1]) === Deno.pid && rest[0] !== "Z") {
        children.push(Number(entry.name));
      }
    } catch {
      // gone
    }
  }
  const files = [...Deno.readDirSync(stateDir)].map((e) => e.name);
  console.log(JSON.stringify({ cycles: done, before, after, children, files }));
}

if (import.meta.main) await main();
