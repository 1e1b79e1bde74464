/**
 * Benchmarks the supervisor against the real passt and prints:
 * - start→ready time of one instance, side by side with bare passt's own
 *   time to write its PID file (same machine, same run, interleaved), and
 *   their ratio (goal ≤ 1.1×);
 * - for 200 concurrent instances: time until all are ready, our RSS (goal
 *   ≤ 100 MB) and our CPU use while they idle (goal ~0: no busy polling),
 *   and the time to stop them all.
 *
 * Usage: deno run -A scripts/bench_supervisor.ts [--runs N] [--instances N] [--idle SECONDS] [--json]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { PasstProcess, startGroup } from "@passtkit/supervisor";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "20" },
    instances: { type: "string", default: "200" },
    idle: { type: "string", default: "5" },
    json: { type: "boolean", default: false },
  },
});
const RUNS = Number(values.runs);
const INSTANCES = Number(values.instances);
const IDLE_S = Number(values.idle);
const PASST = Deno.env.get("PASST") ?? "passt";
const CLK_TCK = 100; // Linux USER_HZ

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function summary(xs: number[]): string {
  return `${Math.min(...xs).toFixed(1)} / ${median(xs).toFixed(1)} / ${
    Math.max(...xs).toFixed(1)
  } ms`;
}

function cpuTicks(): number {
  const text = Deno.readTextFileSync("/proc/self/stat");
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return Number(rest[11]) + Number(rest[12]); // utime + stime (fields 14, 15)
}

function rssMb(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(
    Deno.readTextFileSync("/proc/self/status"),
  );
  return Number(m?.[1] ?? 0) / 1024;
}

/** Bare passt: spawn it and watch for its PID file as closely as possible. */
async function bareRun(dir: string, i: number): Promise<number> {
  const sock = `${dir}/bare${i}.socket`;
  const pid = `${dir}/bare${i}.pid`;
  const t0 = performance.now();
  const child = new Deno.Command(PASST, {
    args: ["-f", "-s", sock, "-P", pid],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let elapsed = NaN;
  // A tight synchronous poll: detection latency in microseconds.
  while (performance.now() - t0 < 10_000) {
    try {
      if (/^\d+\s*$/.test(Deno.readTextFileSync(pid))) {
        elapsed = performance.now() - t0;
        break;
      }
    } catch {
      // not there yet
    }
  }
  child.kill("SIGTERM");
  await child.status;
  await Deno.remove(sock).catch(() => {});
  await Deno.remove(pid).catch(() => {});
  if (Number.isNaN(elapsed)) {
    throw new Error("bare passt did not write its PID file");
  }
  return elapsed;
}

async function supervisedRun(dir: string, i: number): Promise<number> {
  const t0 = performance.now();
  const process = await PasstProcess.start([PASST], {
    stateDir: dir,
    name: `sup${i}`,
  });
  const elapsed = performance.now() - t0;
  await process.stop();
  return elapsed;
}

const root = await Deno.makeTempDir({ prefix: "passtkit-bench-" });
await Deno.chmod(root, 0o755);
try {
  const dir = `${root}/one`;
  await supervisedRun(dir, -1); // creates the state directory, warms up
  await bareRun(dir, -1);
  const bare: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(await bareRun(dir, i));
    ours.push(await supervisedRun(dir, i));
  }
  const ratio = median(ours) / median(bare);

  const fdLimit = new TextDecoder().decode(
    (await new Deno.Command("sh", {
      args: ["-c", "ulimit -n"],
      stdout: "piped",
    }).output()).stdout,
  ).trim();
  const t0 = performance.now();
  const group = await startGroup(
    Array.from(
      { length: INSTANCES },
      (_, i) => ({ name: `n${i}`, argv: [PASST] }),
    ),
    { stateDir: `${root}/many`, handleSignals: false, readyTimeoutMs: 120_000 },
  );
  const allReadyMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 500)); // let start-up work settle
  const rss = rssMb();
  const fds = [...Deno.readDirSync("/proc/self/fd")].length;
  const c0 = cpuTicks();
  const w0 = performance.now();
  await new Promise((r) => setTimeout(r, IDLE_S * 1000));
  const idleCpuPct = ((cpuTicks() - c0) / CLK_TCK) /
    ((performance.now() - w0) / 1000) * 100;
  const s0 = performance.now();
  await group.stop();
  const stopMs = performance.now() - s0;

  const result = {
    runs: RUNS,
    bareMedianMs: median(bare),
    supervisedMedianMs: median(ours),
    ratio,
    instances: INSTANCES,
    allReadyMs,
    rssMb: rss,
    openFds: fds,
    fdLimit,
    idleCpuPercent: idleCpuPct,
    stopAllMs: stopMs,
  };
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    console.log(
      `passt: ${PASST}; ${navigator.hardwareConcurrency} CPUs; ulimit -n ${fdLimit}`,
    );
    console.log(`one instance, ${RUNS} runs each, min / median / max:`);
    console.log(`  bare passt, exec → PID file written:   ${summary(bare)}`);
    console.log(`  supervisor, start() → ready:           ${summary(ours)}`);
    console.log(
      `  ratio of medians:                      ${
        ratio.toFixed(2)
      }× (goal ≤ 1.1×)`,
    );
    console.log(`${INSTANCES} concurrent instances:`);
    console.log(
      `  time until all ready:                  ${allReadyMs.toFixed(0)} ms`,
    );
    console.log(
      `  our RSS with all running:              ${
        rss.toFixed(1)
      } MB (goal ≤ 100 MB)`,
    );
    console.log(`  our open fds:                          ${fds}`);
    console.log(
      `  our CPU while idle (${IDLE_S} s):            ${
        idleCpuPct.toFixed(2)
      } % of one CPU (goal ~0)`,
    );
    console.log(
      `  time to stop all:                      ${stopMs.toFixed(0)} ms`,
    );
  }
} finally {
  await Deno.remove(root, { recursive: true }).catch(() => {});
}
