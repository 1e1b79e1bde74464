/**
 * Fixture for the fault tests: starts a group of passt instances in the
 * state directory given as the first argument, prints `ready PID...` and
 * then waits until the group is stopped (by SIGINT, SIGTERM or SIGHUP to this
 * process), printing `stopped REASON` before exiting 0.
 *
 * Usage: deno run -A tests/supervisor_signal_fixture.ts STATE_DIR [COUNT]
 */

import { startGroup } from "@passtkit/supervisor";

async function main(): Promise<void> {
  const [stateDir, count = "3"] = Deno.args;
  if (stateDir === undefined) {
    console.error("usage: supervisor_signal_fixture.ts STATE_DIR [COUNT]");
    Deno.exit(2);
  }
  const passt = Deno.env.get("PASST") ?? "passt";
  const group = await startGroup(
    Array.from(
      { length: Number(count) },
      (_, i) => ({ name: `net${i}`, argv: [passt] }),
    ),
    { stateDir, restart: "on-failure" },
  );
  console.log(`ready ${group.members.map((m) => m.pid).join(" ")}`);
  const reason = await group.stopped;
  console.log(`stopped ${reason}`);
}

if (import.meta.main) await main();
