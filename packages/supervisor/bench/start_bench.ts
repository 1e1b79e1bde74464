/**
 * `deno bench -A packages/supervisor/bench/`: one passt started until ready
 * and stopped, supervised and bare. Needs the real passt; the fuller
 * numbers (ratio, 200 instances, RSS, idle CPU) come from
 * `scripts/bench_supervisor.ts`.
 */

import { PasstProcess } from "@passtkit/supervisor";
import { findPasst } from "../../../tests/_passt.ts";

const passt = findPasst();
const root = await Deno.makeTempDir({ prefix: "passtkit-bench-" });
await Deno.chmod(root, 0o755);
const stateDir = `${root}/s`;
let n = 0;

Deno.bench({
  name: "PasstProcess start → ready → stop",
  group: "start",
  baseline: true,
  ignore: passt === null,
  async fn() {
    const process = await PasstProcess.start([passt!], {
      stateDir,
      name: `b${n++}`,
    });
    await process.stop();
  },
});

Deno.bench({
  name: "bare passt exec → PID file → SIGTERM",
  group: "start",
  ignore: passt === null,
  async fn() {
    const i = n++;
    const pid = `${stateDir}/bare${i}.pid`;
    const sock = `${stateDir}/bare${i}.socket`;
    const child = new Deno.Command(passt!, {
      args: ["-f", "-s", sock, "-P", pid],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    while (true) {
      try {
        if (/^\d+\s*$/.test(Deno.readTextFileSync(pid))) break;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(pid).catch(() => {});
    await Deno.remove(sock).catch(() => {});
  },
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(root, { recursive: true });
});
