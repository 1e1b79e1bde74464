import assert from "node:assert/strict";
import { assertPasst, needsPasst } from "../../tests/_passt.ts";
import {
  listDir,
  passtChildren,
  tempRoot,
} from "../../tests/supervisor_helpers.ts";
import {
  ArgvError,
  GroupStartError,
  InterruptedError,
  PasstStartError,
  startGroup,
} from "./mod.ts";

// Ports of this file: 11100-11199.

Deno.test({
  name:
    "startGroup() starts every member concurrently and stop() stops them all",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const stateDir = `${root.path}/vm1`;
    const group = await startGroup(
      ["net0", "net1", "net2"].map((name, i) => ({
        name,
        argv: [passt, "-t", `127.0.0.1/${11100 + i}:22`],
      })),
      { stateDir, handleSignals: false },
    );
    try {
      assert.deepEqual(group.members.map((m) => m.name), [
        "net0",
        "net1",
        "net2",
      ]);
      assert.ok(group.members.every((m) => m.state === "ready"));
      assert.equal(group.get("net1")?.socketPath, `${stateDir}/net1.socket`);
      assert.deepEqual(
        passtChildren(root.path).sort(),
        group.members.map((m) => m.pid).sort(),
      );
    } finally {
      await group.stop();
    }
    assert.equal(await group.stopped, "stop");
    assert.deepEqual(listDir(stateDir), []);
    assert.deepEqual(passtChildren(root.path), []);
    const events = [];
    for await (const event of group.events()) {
      events.push(`${event.name}:${event.type}`);
    }
    for (const name of ["net0", "net1", "net2"]) {
      assert.deepEqual(events.filter((e) => e.startsWith(name + ":")), [
        `${name}:started`,
        `${name}:ready`,
        `${name}:stopped`,
      ]);
    }
  },
});

Deno.test({
  name: "startGroup() stops the started members when one fails, naming it",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const stateDir = `${root.path}/vm1`;
    using _busy = Deno.listen({ hostname: "127.0.0.1", port: 11110 });
    await assert.rejects(
      startGroup([
        { name: "net0", argv: [passt, "-t", "127.0.0.1/11111"] },
        { name: "net1", argv: [passt, "-t", "127.0.0.1/11110"] },
        { name: "net2", argv: [passt] },
      ], { stateDir }),
      (e: unknown) => {
        assert.ok(e instanceof GroupStartError);
        assert.deepEqual(e.failures.map((f) => f.name), ["net1"]);
        assert.ok(e.failures[0]!.error instanceof PasstStartError);
        assert.match(
          e.message,
          /^1 of 3 passt instances failed to start: net1: passt exited with code 1/,
        );
        return true;
      },
    );
    assert.deepEqual(listDir(stateDir), []);
    assert.deepEqual(passtChildren(root.path), []);
  },
});

Deno.test({
  name:
    "startGroup() rejects repeated names and paths before starting anything",
  fn: async () => {
    await assert.rejects(
      startGroup([{ name: "a", argv: ["-s", "/x/a.sock"] }, {
        name: "a",
        argv: ["-s", "/x/b.sock"],
      }]),
      ArgvError,
    );
    await assert.rejects(
      startGroup([{ name: "a", argv: ["-s", "/x/a.sock"] }, {
        name: "b",
        argv: ["-s", "/x/a.sock"],
      }]),
      /two group members use '\/x\/a.sock'/,
    );
  },
});

Deno.test({
  name:
    "startGroup() stopped by its abort signal while starting leaves nothing",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const stateDir = `${root.path}/vm1`;
    const controller = new AbortController();
    const starting = startGroup(
      Array.from({ length: 4 }, (_, i) => ({ name: `net${i}`, argv: [passt] })),
      { stateDir, signal: controller.signal, handleSignals: false },
    );
    controller.abort();
    await assert.rejects(starting, InterruptedError);
    assert.deepEqual(listDir(stateDir), []);
    assert.deepEqual(passtChildren(root.path), []);
  },
});
