import assert from "node:assert/strict";
import { assertPasst, needsPasst } from "../../tests/_passt.ts";
import {
  listDir,
  passtChildren,
  sleep,
  tempRoot,
} from "../../tests/supervisor_helpers.ts";
import {
  InUseError,
  passtFeatures,
  PasstProcess,
  PasstStartError,
  ReadinessTimeoutError,
  SocketNotListeningError,
  StateDirError,
  type SupervisorEvent,
  unsupportedOptions,
} from "./mod.ts";

// Ports of this file: 11000-11099 (test files run in parallel).

/** Test options for tests that need passt and root (a visible skip otherwise). */
function rootAndPasst(): { ignore: boolean } {
  return { ignore: Deno.uid() !== 0 || needsPasst().ignore };
}

function isListening(path: string): boolean {
  return Deno.readTextFileSync("/proc/net/unix").split("\n").some((line) =>
    line.endsWith(` ${path}`) && line.split(/\s+/)[3] === "00010000"
  );
}

Deno.test({
  name:
    "PasstProcess.start() is ready with PID file and listening socket; stop() leaves nothing",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const stateDir = `${root.path}/state`;
    const process = await PasstProcess.start([
      passt,
      "-t",
      "127.0.0.1/11000:22",
    ], {
      stateDir,
      name: "net0",
    });
    try {
      assert.equal(process.state, "ready");
      assert.equal(process.name, "net0");
      assert.equal(process.socketPath, `${stateDir}/net0.socket`);
      assert.equal(
        Deno.readTextFileSync(process.pidFile).trim(),
        String(process.pid),
      );
      assert.ok(isListening(process.socketPath!));
      const info = Deno.statSync(stateDir);
      assert.equal(info.mode! & 0o777, 0o700);
      if (Deno.uid() === 0) assert.equal(info.uid, process.user.uid);
      assert.deepEqual(passtChildren(root.path), [process.pid]);
      assert.match(process.output(), /UNIX domain socket bound at/);
      assert.doesNotMatch(process.output(), /to syslog/);
    } finally {
      await process.stop();
    }
    assert.equal(process.state, "stopped");
    assert.equal(process.pid, undefined);
    assert.deepEqual(listDir(stateDir), []);
    assert.deepEqual(passtChildren(root.path), []);
    await process.stop(); // again: not an error
    const types = [];
    for await (const event of process.events()) types.push(event.type);
    assert.deepEqual(types, ["started", "ready", "stopped"]);
    assert.equal((await process.finished).type, "stopped");
  },
});

Deno.test({
  name:
    "PasstProcess.start() reports passt's own message when a port is taken, leaving nothing",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 11001 });
    const events: SupervisorEvent[] = [];
    const error = await assert.rejects(
      PasstProcess.start([passt, "-t", "127.0.0.1/11001"], {
        stateDir: root.path + "/s",
        onEvent: (event) => events.push(event),
      }),
      (e: unknown) => {
        assert.ok(e instanceof PasstStartError);
        assert.equal(e.exitCode, 1);
        assert.equal(e.signal, null);
        assert.equal(
          e.message,
          "passt exited with code 1 before it was ready: Failed to bind any port for '-t 127.0.0.1/11001', exiting",
        );
        assert.doesNotMatch(e.stderr, /to syslog/);
        assert.equal(e.argv[0], passt);
        return true;
      },
    );
    void error;
    void listener;
    // The exited event names the passt that ran and how it ended.
    const [started, exited] = events;
    assert.equal(started?.type, "started");
    assert.equal(exited?.type, "exited");
    assert.equal(exited?.pid, started?.pid);
    assert.equal(exited?.code, 1);
    assert.equal(exited?.signal, null);
    assert.deepEqual(listDir(root.path + "/s"), []);
    assert.deepEqual(passtChildren(root.path), []);
  },
});

Deno.test({
  name:
    "PasstProcess.start() names an option passt does not know, not its usage text",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const features = await passtFeatures(passt);
    const unknown = ["--no-such-option"];
    if (unsupportedOptions(["--vhost-user"], features).length > 0) {
      unknown.push("--vhost-user"); // the 2023 passt
    }
    for (const option of unknown) {
      await assert.rejects(
        PasstProcess.start([passt, option], { stateDir: root.path + "/s" }),
        (e: unknown) => {
          assert.ok(e instanceof PasstStartError);
          assert.equal(e.exitCode, 1);
          assert.match(
            e.message,
            new RegExp(
              `^passt exited with code 1 before it was ready: unrecognized option '${option}'`,
            ),
          );
          assert.match(e.stderr, /Usage: /, "the full output is kept");
          return true;
        },
      );
    }
    if (unknown.includes("--vhost-user")) {
      await assert.rejects(
        PasstProcess.start([passt, "--vhost-user"], {
          stateDir: root.path + "/s",
        }),
        /unrecognized option '--vhost-user' \(added in passt 2024_12_11; install a newer passt\)$/,
      );
    }
    assert.deepEqual(listDir(root.path + "/s"), []);
    assert.deepEqual(passtChildren(root.path), []);
  },
});

Deno.test({
  name:
    "PasstProcess.start() times out on a program that never writes its PID file, and kills it",
  fn: async () => {
    await using root = await tempRoot();
    const fake = `${root.path}/fake-passt`;
    await Deno.writeTextFile(
      fake,
      "#!/bin/sh\necho starting >&2\nexec sleep 30\n",
    );
    await Deno.chmod(fake, 0o755);
    await assert.rejects(
      PasstProcess.start([fake], {
        stateDir: `${root.path}/s`,
        readyTimeoutMs: 300,
      }),
      (e: unknown) => {
        assert.ok(e instanceof ReadinessTimeoutError);
        assert.match(
          e.message,
          /not ready after 300 ms.*its last message: starting/,
        );
        return true;
      },
    );
    assert.deepEqual(listDir(`${root.path}/s`), []);
  },
});

Deno.test({
  name:
    "PasstProcess.start() notices a 2023 passt that runs without a listening socket",
  ...rootAndPasst(), // needs passt to drop to nobody
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    // The PID file's directory is nobody's, the socket's is root's 0755:
    // the 2023 passt cannot bind there and says nothing.
    const pidDir = `${root.path}/pid`;
    const sockDir = `${root.path}/sock`;
    await Deno.mkdir(pidDir, { mode: 0o700 });
    await Deno.chown(pidDir, 65534, 65534);
    await Deno.mkdir(sockDir);
    await Deno.chmod(sockDir, 0o755);
    try {
      await PasstProcess.start(
        [passt, "-s", `${sockDir}/a.sock`, "-P", `${pidDir}/a.pid`],
        { prepareStateDir: false },
      );
      assert.fail("expected an error");
    } catch (error) {
      // Newer passt fails to start instead.
      assert.ok(
        error instanceof SocketNotListeningError ||
          error instanceof PasstStartError,
        String(error),
      );
    }
    assert.deepEqual(listDir(pidDir), []);
    assert.deepEqual(passtChildren(root.path), []);
  },
});

Deno.test({
  name:
    "PasstProcess.start() refuses a state directory passt's user cannot write",
  ...rootAndPasst(),
  fn: async () => {
    await using root = await tempRoot();
    await assert.rejects(
      PasstProcess.start(["passt"], { stateDir: root.path }), // root's, 0755
      (e: unknown) => {
        assert.ok(e instanceof StateDirError);
        assert.equal(
          e.message,
          `state directory '${root.path}' cannot be used: nobody, the user passt runs as, cannot write to it; ` +
            `run 'chown nobody ${root.path}', or name a directory that does not exist yet (it is then created for nobody)`,
        );
        return true;
      },
    );
    const readOnly = `${root.path}/ro`;
    await Deno.mkdir(readOnly);
    await Deno.chmod(readOnly, 0o555);
    await assert.rejects(
      PasstProcess.start(["passt"], { stateDir: readOnly }),
      (e: unknown) =>
        e instanceof StateDirError &&
        e.message.endsWith(
          `run 'chown nobody ${readOnly}' and 'chmod u+wx ${readOnly}', or name a directory that does not exist yet (it is then created for nobody)`,
        ),
    );
    const hidden = await Deno.makeTempDir(); // 0700: nobody cannot reach inside
    try {
      await assert.rejects(
        PasstProcess.start(["passt"], { stateDir: `${hidden}/state` }),
        /cannot reach it through/,
      );
    } finally {
      await Deno.remove(hidden, { recursive: true });
    }
  },
});

Deno.test({
  name: "PasstProcess.start() with --runas 0 uses a root-owned directory",
  ...rootAndPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    await using process = await PasstProcess.start([passt, "--runas", "0"], {
      stateDir: `${root.path}/s`,
    });
    assert.equal(process.user.uid, 0);
    assert.equal(Deno.statSync(process.socketPath!).uid, 0);
  },
});

Deno.test({
  name:
    "PasstProcess.start() removes stale files of a crashed run, but not a live passt's",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const stateDir = `${root.path}/s`;
    await using first = await PasstProcess.start([passt], {
      stateDir,
      name: "a",
    });
    await assert.rejects(
      PasstProcess.start([passt], { stateDir, name: "a" }),
      (e: unknown) => e instanceof InUseError && e.pid === first.pid,
    );
    assert.ok(isListening(first.socketPath!), "the live passt was left alone");

    // A crash leaves a PID file with a dead PID and a socket nobody listens on.
    const stale = Deno.listen({
      transport: "unix",
      path: `${stateDir}/b.socket`,
    });
    stale.close();
    await Deno.writeTextFile(`${stateDir}/b.pid`, "999999999\n");
    await using second = await PasstProcess.start([passt], {
      stateDir,
      name: "b",
    });
    assert.ok(isListening(second.socketPath!));
  },
});

Deno.test({
  name:
    "PasstProcess restarts a SIGKILLed passt on-failure, and not one ended by SIGTERM",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const events: SupervisorEvent[] = [];
    await using process = await PasstProcess.start([passt], {
      stateDir: `${root.path}/s`,
      restart: "on-failure",
      backoff: { initialMs: 50 },
      onEvent: (e) => events.push(e),
    });
    const firstPid = process.pid!;
    Deno.kill(firstPid, "SIGKILL");
    while (!(process.state === "ready" && process.pid !== firstPid)) {
      await sleep(10);
    }
    assert.deepEqual(events.map((e) => e.type), [
      "started",
      "ready",
      "exited",
      "restarting",
      "started",
      "ready",
    ]);
    assert.equal(events[2]!.signal, "SIGKILL");
    assert.equal(events[2]!.code, null);
    assert.equal(events[3]!.delayMs, 50);
    assert.ok(isListening(process.socketPath!));
    assert.deepEqual(passtChildren(root.path), [process.pid]);

    Deno.kill(process.pid!, "SIGTERM"); // passt exits 0: not a failure
    const last = await process.finished;
    assert.equal(last.type, "exited");
    assert.equal(last.code, 0);
    assert.equal(process.state, "exited");
    assert.deepEqual(listDir(`${root.path}/s`), []);
  },
});

Deno.test({
  name: "PasstProcess gives up after maxRestarts within the window",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    await using process = await PasstProcess.start([passt], {
      stateDir: `${root.path}/s`,
      restart: "always",
      maxRestarts: 2,
      backoff: { initialMs: 10 },
    });
    const killer = (async () => {
      for await (const event of process.events()) {
        if (event.type === "ready") Deno.kill(event.pid!, "SIGTERM");
      }
    })();
    const last = await process.finished;
    await killer;
    assert.equal(last.type, "gave-up");
    assert.equal(process.state, "failed");
    const types: string[] = [];
    for await (const event of process.events()) types.push(event.type);
    assert.equal(types.filter((t) => t === "restarting").length, 2);
    assert.deepEqual(listDir(`${root.path}/s`), []);
    assert.deepEqual(passtChildren(root.path), []);
  },
});

Deno.test({
  name: "PasstProcess.stop() during the restart backoff cancels the restart",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    await using root = await tempRoot();
    const process = await PasstProcess.start([passt], {
      stateDir: `${root.path}/s`,
      restart: "always",
      backoff: { initialMs: 60_000 },
    });
    Deno.kill(process.pid!, "SIGKILL");
    while (process.state !== "restarting") await sleep(5);
    await process.stop();
    assert.equal(process.state, "stopped");
    assert.deepEqual(passtChildren(root.path), []);
    assert.deepEqual(listDir(`${root.path}/s`), []);
  },
});

Deno.test({
  name:
    "PasstProcess.stop() sends SIGKILL after the grace time when SIGTERM is ignored",
  fn: async () => {
    await using root = await tempRoot();
    // A stand-in that writes its PID file, listens nowhere (--fd) and ignores SIGTERM.
    const fake = `${root.path}/fake`;
    await Deno.writeTextFile(
      fake,
      `#!/bin/sh\ntrap '' TERM\nfor a; do case "$p" in 1) pidfile="$a";; esac; p=; [ "$a" = --pid ] && p=1; done\necho $$ > "$pidfile"\nwhile :; do sleep 0.05; done\n`,
    );
    await Deno.chmod(fake, 0o755);
    const process = await PasstProcess.start([fake, "--fd", "9"], {
      stateDir: `${root.path}/s`,
      stopGraceMs: 100,
    });
    const pid = process.pid!;
    await process.stop();
    assert.equal(process.state, "stopped");
    assert.throws(() => Deno.kill(pid, "SIGCONT"));
  },
});
