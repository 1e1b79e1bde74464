import assert from "node:assert/strict";
import { assertPasst, needsPasst } from "../../tests/_passt.ts";
import {
  daemonRoot,
  listDir,
  passtsMentioning,
  startDaemon,
  tempRoot,
} from "../../tests/supervisor_helpers.ts";
import {
  adoptPasst,
  identifyPasst,
  NotPasstError,
  stopPidFile,
  SupervisorError,
} from "./mod.ts";

Deno.test({
  name:
    "adoptPasst() verifies a daemonized passt, watches it and stops it, removing its files",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await daemonRoot("s");
    const { dir } = root;
    const pid = await startDaemon(passt, dir, "vm-net0");
    const adopted = await adoptPasst(`${dir}/vm-net0.pid`);
    assert.equal(adopted.pid, pid);
    assert.equal(adopted.socketPath, `${dir}/vm-net0.socket`);
    assert.match(adopted.identity.exe ?? "", /passt(\.avx2)?$/);
    assert.equal(await adopted.alive(), true);
    const exited = adopted.exited;
    assert.equal(await adopted.stop(), "terminated");
    await exited;
    assert.equal(await adopted.alive(), false);
    assert.deepEqual(listDir(dir), []);
    assert.deepEqual(passtsMentioning(dir), []);
  },
});

Deno.test({
  name: "AdoptedPasst.exited resolves when the passt is killed by someone else",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await daemonRoot("s");
    const { dir } = root;
    const pid = await startDaemon(passt, dir, "a");
    await using adopted = await adoptPasst(`${dir}/a.pid`, { pollMs: 20 });
    Deno.kill(pid, "SIGKILL");
    await adopted.exited;
    assert.equal(await adopted.stop(), "already-gone");
    assert.deepEqual(listDir(dir), []);
  },
});

Deno.test({
  name:
    "adoptPasst() and stopPidFile() refuse a PID that is not that passt, sending nothing",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await daemonRoot("s");
    const { dir } = root;
    // Our own PID: not passt at all.
    await Deno.mkdir(`${root.path}/other`);
    await Deno.writeTextFile(`${root.path}/other/x.pid`, `${Deno.pid}\n`);
    await assert.rejects(
      stopPidFile(`${root.path}/other/x.pid`),
      (e: unknown) =>
        e instanceof NotPasstError && /its program is/.test(e.message),
    );
    // A real passt, but started with another PID file (a reused PID).
    const pid = await startDaemon(passt, dir, "b");
    await Deno.writeTextFile(`${root.path}/other/y.pid`, `${pid}\n`);
    await assert.rejects(
      adoptPasst(`${root.path}/other/y.pid`),
      (e: unknown) =>
        e instanceof NotPasstError && /its PID file is/.test(e.message),
    );
    assert.equal((await identifyPasst(pid, `${dir}/b.pid`)).pid, pid);
    assert.deepEqual(passtsMentioning(dir), [pid], "still running");
    assert.deepEqual(
      listDir(`${root.path}/other`),
      ["x.pid", "y.pid"],
      "nothing removed",
    );
    const result = await stopPidFile(`${dir}/b.pid`, { graceMs: 2000 });
    assert.equal(result.outcome, "terminated");
    assert.deepEqual([...result.removed].sort(), [
      `${dir}/b.pid`,
      `${dir}/b.socket`,
    ]);
  },
});

Deno.test("stopPidFile() tells a missing PID file from a dead PID, and neither is an error", async () => {
  await using root = await tempRoot();
  const missing = await stopPidFile(`${root.path}/none.pid`);
  assert.deepEqual(missing, {
    pid: undefined,
    outcome: "no-pidfile",
    removed: [],
    kept: [],
  });
  await Deno.writeTextFile(`${root.path}/file`, "");
  assert.equal(
    (await stopPidFile(`${root.path}/file/x.pid`)).outcome,
    "no-pidfile",
  );
  await Deno.writeTextFile(`${root.path}/dead.pid`, "999999999\n");
  const dead = await stopPidFile(`${root.path}/dead.pid`);
  assert.equal(dead.outcome, "already-gone");
  assert.deepEqual(dead.removed, [`${root.path}/dead.pid`]);
  await Deno.writeTextFile(`${root.path}/empty.pid`, "");
  await assert.rejects(
    stopPidFile(`${root.path}/empty.pid`),
    /does not hold a PID/,
  );
});

Deno.test("stopPidFile() refuses a directory or an unreadable file in one line", async () => {
  await using root = await tempRoot();
  await assert.rejects(
    stopPidFile(root.path),
    (e: unknown) =>
      e instanceof SupervisorError &&
      e.message === `'${root.path}' is a directory, not a PID file`,
  );
  await assert.rejects(
    stopPidFile("/dev/null"),
    (e: unknown) =>
      e instanceof SupervisorError &&
      e.message === "'/dev/null' is not a regular file",
  );
});

Deno.test({
  name: "stopPidFile() names a PID file it may not read",
  ignore: Deno.uid() === 0, // root reads any file
  fn: async () => {
    await using root = await tempRoot();
    const pidFile = `${root.path}/secret.pid`;
    await Deno.writeTextFile(pidFile, "1\n", { mode: 0o000 });
    await Deno.chmod(pidFile, 0o000);
    await assert.rejects(
      stopPidFile(pidFile),
      (e: unknown) =>
        e instanceof SupervisorError &&
        e.message === `cannot read PID file '${pidFile}': permission denied`,
    );
  },
});
