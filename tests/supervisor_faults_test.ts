/**
 * Fault tests with the real passt: a killed passt is restarted, our own
 * process receiving SIGTERM, SIGINT or SIGHUP leaves nothing behind, a bad argv gives
 * passt's own message, and 200 start/stop cycles leak no file descriptors
 * or processes.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  GroupStartError,
  PasstProcess,
  startGroup,
  type SupervisorEvent,
} from "@passtkit/supervisor";
import { assertPasst, needsPasst } from "./_passt.ts";
import {
  listDir,
  passtChildren,
  passtsMentioning,
  tempRoot,
} from "./supervisor_helpers.ts";

// Ports of this file: 11300-11399.

Deno.test({
  name:
    "faults: a SIGKILLed passt is seen at once and restarted after the backoff",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const seen: { event: SupervisorEvent; at: number }[] = [];
    await using process = await PasstProcess.start([
      passt,
      "-t",
      "127.0.0.1/11300:22",
    ], {
      stateDir: `${root.path}/s`,
      restart: "on-failure",
      backoff: { initialMs: 100 },
      onEvent: (event) => seen.push({ event, at: performance.now() }),
    });
    const killedAt = performance.now();
    Deno.kill(process.pid!, "SIGKILL");
    for await (const event of process.events()) {
      if (event.type === "ready" && event.attempt === 2) break;
    }
    const at = (type: string, attempt?: number) =>
      seen.find((s) =>
        s.event.type === type &&
        (attempt === undefined || s.event.attempt === attempt)
      )!;
    const exited = at("exited");
    const restarting = at("restarting");
    const started = at("started", 2);
    assert.equal(exited.event.signal, "SIGKILL");
    const seenMs = exited.at - killedAt;
    const restartMs = started.at - killedAt;
    console.log(
      `exit seen after ${seenMs.toFixed(1)} ms, restarted after ${
        restartMs.toFixed(1)
      } ms (backoff 100 ms)`,
    );
    // The bound: within 200 ms plus the backoff. Generous slack for loaded CI machines.
    assert.ok(
      restartMs <= restarting.event.delayMs! + 200 + 1000,
      `restart took ${restartMs} ms`,
    );
    assert.notEqual(process.pid, undefined);
    assert.deepEqual(passtChildren(root.path), [process.pid]);
  },
});

async function signalFixture(
  signal: "SIGTERM" | "SIGINT" | "SIGHUP",
): Promise<void> {
  const passt = assertPasst();
  await using root = await tempRoot();
  const stateDir = `${root.path}/vm`;
  const fixture = fileURLToPath(
    new URL("./supervisor_signal_fixture.ts", import.meta.url),
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", fixture, stateDir, "3"],
    env: { PASST: passt },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderrText = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  try {
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    if (!/^ready( \d+){3}\n/.test(out)) {
      child.kill("SIGKILL");
      assert.fail(`fixture said: ${out}${await stderrText}`);
    }
    const pids = out.trim().split(" ").slice(1).map(Number);
    assert.equal(listDir(stateDir).length, 6);
    child.kill(signal);
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const status = await child.status;
    const errors = await stderrText;
    assert.equal(status.code, 0, errors);
    assert.match(out, new RegExp(`stopped ${signal}\\n$`));
    for (const pid of pids) {
      assert.throws(() => Deno.kill(pid, "SIGCONT"), `passt ${pid} is gone`);
    }
    assert.deepEqual(passtsMentioning(stateDir), []);
    assert.deepEqual(listDir(stateDir), []);
  } finally {
    reader.releaseLock();
    try {
      child.kill("SIGKILL");
    } catch {
      // exited
    }
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await stderrText;
    for (const pid of passtsMentioning(stateDir)) Deno.kill(pid, "SIGKILL");
  }
}

Deno.test({
  name:
    "faults: SIGTERM to our process stops every passt and removes every socket and PID file",
  ...needsPasst(),
  fn: () => signalFixture("SIGTERM"),
});

Deno.test({
  name: "faults: SIGINT to our process does the same",
  ...needsPasst(),
  fn: () => signalFixture("SIGINT"),
});

Deno.test({
  name: "faults: SIGHUP (the terminal closing) does the same",
  ...needsPasst(),
  fn: () => signalFixture("SIGHUP"),
});

Deno.test({
  name:
    "faults: a port already bound gives passt's message and leaves nothing behind",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    using _busy = Deno.listen({ hostname: "127.0.0.1", port: 11310 });
    const stateDir = `${root.path}/vm`;
    await assert.rejects(
      startGroup([
        { name: "net0", argv: [passt, "-t", "127.0.0.1/11311"] },
        { name: "net1", argv: [passt, "-t", "127.0.0.1/11310"] },
      ], { stateDir, handleSignals: false }),
      (e: unknown) =>
        e instanceof GroupStartError &&
        e.message ===
          "1 of 2 passt instances failed to start: net1: passt exited with code 1 before it was ready: " +
            "Failed to bind any port for '-t 127.0.0.1/11310', exiting",
    );
    assert.deepEqual(listDir(stateDir), []);
    assert.deepEqual(passtChildren(root.path), []);
  },
});

Deno.test({
  name:
    "faults: 200 start/stop cycles leak no file descriptors and no processes",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const stateDir = `${root.path}/s`;
    const fixture = fileURLToPath(
      new URL("./supervisor_cycles_fixture.ts", import.meta.url),
    );
    // In a process of its own: tests running in parallel would blur the fd count.
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-check", fixture, stateDir, "200", "8"],
      env: { PASST: passt },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const errors = new TextDecoder().decode(stderr);
    assert.equal(code, 0, errors);
    const result = JSON.parse(new TextDecoder().decode(stdout));
    assert.equal(result.cycles, 200);
    assert.ok(
      result.after <= result.before,
      `open fds grew from ${result.before} to ${result.after}`,
    );
    assert.deepEqual(result.children, []);
    assert.deepEqual(result.files, []);
    assert.deepEqual(passtsMentioning(stateDir), []);
  },
});
