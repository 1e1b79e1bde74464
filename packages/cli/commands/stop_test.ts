import assert from "node:assert/strict";
import { assertPasst, needsPasst } from "../../../tests/_passt.ts";
import {
  daemonRoot,
  listDir,
  passtsMentioning,
  startDaemon,
  tempRoot,
} from "../../../tests/supervisor_helpers.ts";
import { type Captured, runCaptured } from "../../../tests/_capture_io.ts";

/** Runs `passtkit stop ARGS` with captured streams. */
function stop(argv: string[]): Promise<Captured> {
  return runCaptured(["stop", ...argv]);
}

Deno.test({
  name:
    "stop verifies, stops and cleans up an adopted passt; again there is no PID file",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await daemonRoot("vm");
    const { dir } = root;
    const pid = await startDaemon(passt, dir, "net0");
    const first = await stop(["--pidfile", `${dir}/net0.pid`]);
    assert.equal(first.code, 0, first.err);
    assert.equal(
      first.out,
      `stopped passt ${pid}; removed ${dir}/net0.pid, ${dir}/net0.socket\n`,
    );
    assert.deepEqual(listDir(dir), []);
    assert.deepEqual(passtsMentioning(dir), []);
    const again = await stop(["--pidfile", `${dir}/net0.pid`, "--json"]);
    assert.equal(again.code, 0);
    assert.deepEqual(JSON.parse(again.out), {
      pidfile: `${dir}/net0.pid`,
      pid: null,
      outcome: "no-pidfile",
      removed: [],
    });
    const text = await stop(["--pidfile", `${dir}/net0.pid`]);
    assert.equal(text.code, 0);
    assert.equal(
      text.out,
      `no PID file at ${dir}/net0.pid; nothing to stop\n`,
    );
  },
});

Deno.test({
  name: "stop --json --socket removes the given socket",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await daemonRoot("vm");
    const { dir } = root;
    const pid = await startDaemon(passt, dir, "net1");
    const { code, out } = await stop([
      "--pidfile",
      `${dir}/net1.pid`,
      "--socket",
      `${dir}/net1.socket`,
      "--timeout",
      "2",
      "--json",
    ]);
    assert.equal(code, 0);
    const result = JSON.parse(out);
    assert.equal(result.pid, pid);
    assert.equal(result.outcome, "terminated");
    assert.deepEqual(result.removed.sort(), [
      `${dir}/net1.pid`,
      `${dir}/net1.socket`,
    ]);
  },
});

Deno.test("stop refuses a PID that is not passt, exit 1, signalling nothing", async () => {
  await using root = await tempRoot();
  await Deno.writeTextFile(`${root.path}/x.pid`, `${Deno.pid}\n`);
  const { code, err } = await stop(["--pidfile", `${root.path}/x.pid`]);
  assert.equal(code, 1);
  assert.match(
    err,
    new RegExp(
      `^passtkit: stop: process ${Deno.pid} is not passt: .*; not signalling it\\n$`,
    ),
  );
  assert.deepEqual(listDir(root.path), ["x.pid"]);
});

Deno.test("stop reports usage and I/O errors with exit 2", async () => {
  await using root = await tempRoot();
  assert.equal((await stop([])).code, 2);
  assert.equal((await stop(["--pidfile", "a", "extra"])).code, 2);
  assert.equal((await stop(["--pidfile", "a", "--timeout", "soon"])).code, 2);
  await Deno.writeTextFile(`${root.path}/empty.pid`, "");
  const empty = await stop(["--pidfile", `${root.path}/empty.pid`]);
  assert.equal(empty.code, 2);
  assert.match(empty.err, /does not hold a PID/);
  const gone = await stop(["--pidfile", `${root.path}/none.pid`]);
  assert.equal(gone.code, 0);
  assert.equal(
    gone.out,
    `no PID file at ${root.path}/none.pid; nothing to stop\n`,
  );
});
