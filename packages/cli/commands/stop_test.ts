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
      kept: [],
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

Deno.test("stop --socket removes only a socket nothing listens on", async () => {
  await using root = await tempRoot();
  const file = `${root.path}/vm.xml`;
  await Deno.writeTextFile(file, "<domain/>\n");
  await Deno.mkdir(`${root.path}/dir`);
  await Deno.writeTextFile(`${root.path}/dir/keep`, "");
  for (const path of [file, `${root.path}/dir`]) {
    const text = await stop([
      "--pidfile",
      `${root.path}/none.pid`,
      "--socket",
      path,
    ]);
    assert.equal(text.code, 0);
    assert.equal(
      text.err,
      `passtkit: stop: left ${path} in place: not a socket\n`,
    );
    const json = await stop([
      "--pidfile",
      `${root.path}/none.pid`,
      "--socket",
      path,
      "--json",
    ]);
    assert.deepEqual(JSON.parse(json.out).kept, [{
      path,
      reason: "not a socket",
    }]);
  }
  assert.deepEqual(listDir(root.path).sort(), ["dir", "vm.xml"]);
  assert.equal(await Deno.readTextFile(file), "<domain/>\n");
  // A socket something listens on stays too.
  const busy = `${root.path}/busy.socket`;
  using _listener = Deno.listen({ transport: "unix", path: busy });
  const listening = await stop([
    "--pidfile",
    `${root.path}/none.pid`,
    "--socket",
    busy,
  ]);
  assert.equal(
    listening.err,
    `passtkit: stop: left ${busy} in place: something listens on it\n`,
  );
  assert.ok(listDir(root.path).includes("busy.socket"));
});

Deno.test({
  name:
    "stop of a passt already gone removes its PID file and the socket named after it",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await daemonRoot("vm");
    const { dir } = root;
    // libvirt's names; passt killed with SIGKILL leaves both files behind.
    const pidFile = `${dir}/1-vm-net0-passt.pid`;
    const socket = `${dir}/1-vm-net0.socket`;
    const pid = await startDaemon(passt, dir, "net0", {
      socket,
      pid: pidFile,
    });
    Deno.kill(pid, "SIGKILL");
    while (passtsMentioning(dir).length > 0) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(listDir(dir).sort(), [
      "1-vm-net0-passt.pid",
      "1-vm-net0.socket",
    ]);
    const { code, out } = await stop(["--pidfile", pidFile]);
    assert.equal(code, 0);
    assert.equal(
      out,
      `process ${pid} of ${pidFile} is no longer running; removed ${pidFile}, ${socket}\n`,
    );
    assert.deepEqual(listDir(dir), []);
  },
});

Deno.test({
  name: "stop finds a passt started with a relative --pid by its absolute path",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await daemonRoot("vm");
    const { dir } = root;
    await startDaemon(passt, dir, "rel", {
      socket: "rel.socket",
      pid: "rel.pid",
      cwd: dir,
    });
    const { code, out, err } = await stop(["--pidfile", `${dir}/rel.pid`]);
    assert.equal(code, 0, err);
    assert.match(
      out,
      new RegExp(
        `^stopped passt \\d+; removed ${dir}/rel.pid, ${dir}/rel.socket\n$`,
      ),
    );
    assert.deepEqual(passtsMentioning(dir), []);
    assert.deepEqual(listDir(dir), []);
  },
});

Deno.test({
  name:
    "stop never removes a live passt's socket, whatever the spelling of its path",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await daemonRoot("vm");
    const { dir } = root;
    const pid = await startDaemon(passt, dir, "live");
    try {
      for (
        const spelling of [`${dir}/./live.socket`, `${dir}/../vm/live.socket`]
      ) {
        const { code, err } = await stop([
          "--pidfile",
          `${dir}/none.pid`,
          "--socket",
          spelling,
        ]);
        assert.equal(code, 0);
        assert.equal(
          err,
          `passtkit: stop: left ${spelling} in place: something listens on it\n`,
        );
      }
      assert.ok(listDir(dir).includes("live.socket"));
      assert.deepEqual(passtsMentioning(dir), [pid]);
    } finally {
      await stop(["--pidfile", `${dir}/live.pid`]);
    }
  },
});

Deno.test("stop leaves a file of a dead PID whose name does not end in .pid, and odd socket paths", async () => {
  await using root = await tempRoot();
  const counter = `${root.path}/counter.txt`;
  await Deno.writeTextFile(counter, "999999999\n");
  const { code, out, err } = await stop([
    "--pidfile",
    counter,
    "--socket",
    "/etc/passwd/x.socket",
  ]);
  assert.equal(code, 0, err);
  assert.equal(out, `process 999999999 of ${counter} is no longer running\n`);
  assert.equal(
    err,
    `passtkit: stop: left ${counter} in place: its name does not end in .pid\n`,
  );
  assert.equal(await Deno.readTextFile(counter), "999999999\n");
});

Deno.test({
  name: "stop finds a passt started with --pid ../x.pid, and its socket",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await daemonRoot("vm");
    const { dir } = root;
    const pid = await startDaemon(passt, dir, "x", {
      socket: "../x.socket",
      pid: "../x.pid",
      cwd: `${dir}/sub`,
    });
    try {
      const { code, out, err } = await stop(["--pidfile", `${dir}/x.pid`]);
      assert.equal(code, 0, err);
      assert.equal(
        out,
        `stopped passt ${pid}; removed ${dir}/x.pid, ${dir}/x.socket\n`,
      );
    } finally {
      // Its command line names no absolute path the root's clean-up knows.
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // stopped
      }
    }
  },
});
