// `passtkit run` and `passtkit stop` driven as a user drives them, with the
// real passt: a guest on the socket gets its DHCP offer, a host connection to
// a forwarded port reaches the mapped guest port, a restart policy brings
// passt back, and SIGTERM leaves no process, socket or PID file behind.
//
// Ports 11600-11999 on 127.0.0.1 are this file's own, so it can run beside
// the other tests.

import assert from "node:assert/strict";
import { assertPasst, needsPasst } from "./_passt.ts";
import { passtkit, spawnPasstkit } from "./_cli.ts";
import { dhcpDiscover, Guest, parseDhcpReply, parseTcp } from "./_guest.ts";
import { passtsMentioning, tempRoot } from "./supervisor_helpers.ts";

/** A domain whose one passt interface forwards loopback ports from `base`. */
function domainXml(name: string, base: number): string {
  return `<domain type='kvm'>
  <name>${name}</name>
  <devices>
    <interface type='user'>
      <mac address='52:54:00:12:34:56'/>
      <ip address='192.168.221.122' family='ipv4'/>
      <portForward proto='tcp' address='127.0.0.1'>
        <range start='${base + 22}' to='22'/>
        <range start='${base + 100}' end='${base + 199}' to='1000'/>
        <range start='${base + 110}' end='${base + 129}' exclude='yes'/>
      </portForward>
      <model type='virtio'/>
      <backend type='passt'/>
    </interface>
  </devices>
</domain>
`;
}

/** A running `passtkit run --json`, read line by line. */
class RunProcess implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  readonly records: Record<string, unknown>[] = [];
  stderr = "";
  #wake: () => void = () => {};
  readonly #reading: Promise<void>;

  constructor(args: string[]) {
    this.child = spawnPasstkit(["run", "--json", ...args]);
    this.#reading = Promise.all([this.#readOut(), this.#readErr()]).then(
      () => {},
    );
  }

  async #readOut(): Promise<void> {
    let buffer = "";
    for await (
      const chunk of this.child.stdout.pipeThrough(new TextDecoderStream())
    ) {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf("\n")) !== -1) {
        this.records.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
      }
      this.#wake();
    }
    this.#wake();
  }

  async #readErr(): Promise<void> {
    for await (
      const chunk of this.child.stderr.pipeThrough(new TextDecoderStream())
    ) {
      this.stderr += chunk;
    }
  }

  /** Waits for the first record (from index `from`) matching `match`. */
  async waitFor(
    match: (r: Record<string, unknown>) => boolean,
    what: string,
    from = 0,
    timeoutMs = 15_000,
  ): Promise<Record<string, unknown>> {
    const until = Date.now() + timeoutMs;
    while (true) {
      const found = this.records.slice(from).find(match);
      if (found) return found;
      if (Date.now() > until) {
        throw new Error(
          `no ${what} within ${timeoutMs} ms; output: ${
            JSON.stringify(this.records)
          } ${this.stderr}`,
        );
      }
      await Promise.race([
        new Promise<void>((resolve) => this.#wake = resolve),
        new Promise((resolve) => setTimeout(resolve, 50)),
      ]);
    }
  }

  async finish(): Promise<Deno.CommandStatus> {
    const status = await this.child.status;
    await this.#reading;
    return status;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await this.finish();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "passtkit run: guest gets its address, forwards reach mapped guest ports, restarts by policy, SIGTERM cleans up",
  ...needsPasst(),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    assertPasst();
    await using root = await tempRoot();
    const file = `${root.path}/vm.xml`;
    await Deno.writeTextFile(file, domainXml("runtest", 11600));
    const stateDir = `${root.path}/state`;
    await using run = new RunProcess([
      "--state-dir",
      stateDir,
      "--restart",
      "always",
      file,
    ]);
    const iface = await run.waitFor(
      (r) => r.type === "interface",
      "interface record",
    );
    assert.equal(iface.alias, "net0");
    assert.equal(iface.socket, `${stateDir}/1-runtest-net0.socket`);
    assert.equal(iface.pidfile, `${stateDir}/1-runtest-net0-passt.pid`);
    const pid = iface.pid as number;
    assert.ok(await exists(`/proc/${pid}`), "passt is running");
    assert.equal(
      (await Deno.readTextFile(iface.pidfile as string)).trim(),
      String(pid),
    );
    assert.ok(
      (iface.qemu as string[]).some((a) =>
        a.includes(`"path":"${iface.socket}"`)
      ),
    );
    // The argv reported is the one running (the program name aside: Debian's
    // passt re-executes itself as passt.avx2).
    const cmdline = (await Deno.readTextFile(`/proc/${pid}/cmdline`))
      .split("\0").slice(0, -1);
    assert.deepEqual(cmdline.slice(1), (iface.argv as string[]).slice(1));
    assert.ok((iface.argv as string[]).includes("-f"));

    {
      await using guest = await Guest.connect(iface.socket as string);
      await guest.send(dhcpDiscover(0x1234));
      const offer = await guest.next(parseDhcpReply, "DHCP offer");
      assert.equal(offer.yiaddr, "192.168.221.122");

      using _conn = await Deno.connect({ hostname: "127.0.0.1", port: 11750 });
      const syn = await guest.next(
        (frame) => {
          const tcp = parseTcp(frame);
          return tcp?.syn ? tcp : undefined;
        },
        "SYN for host port 11750",
      );
      assert.equal(syn.dport, 1050);
      await assert.rejects(
        Deno.connect({ hostname: "127.0.0.1", port: 11715 }),
        Deno.errors.ConnectionRefused,
      );
    }

    // The guest went away: with --one-off passt exits 0, and 'always' restarts it.
    const before = run.records.length;
    const exited = await run.waitFor(
      (r) => r.type === "exited" && r.pid === pid,
      "exit after the guest disconnected",
    );
    assert.equal(exited.code, 0);
    const again = await run.waitFor(
      (r) => r.type === "ready" && r.pid !== pid,
      "ready after restart",
      before,
    );
    const newPid = again.pid as number;
    assert.equal(again.attempt, 2);

    run.child.kill("SIGTERM");
    const status = await run.finish();
    assert.equal(status.code, 0, run.stderr);
    assert.ok(
      run.records.some((r) => r.type === "stopped"),
      "a stopped event",
    );
    assert.ok(!(await exists(`/proc/${newPid}`)), "passt is gone");
    assert.deepEqual(passtsMentioning(stateDir), []);
    assert.ok(!(await exists(iface.socket as string)), "socket removed");
    assert.ok(!(await exists(iface.pidfile as string)), "pidfile removed");
  },
});

Deno.test({
  name:
    "passtkit run: a port already in use is a failed run with passt's own message, nothing left behind",
  ...needsPasst(),
  fn: async () => {
    assertPasst();
    await using root = await tempRoot();
    const file = `${root.path}/vm.xml`;
    // Forwards 11822 and 11900-11999 (but 11910-11929).
    await Deno.writeTextFile(file, domainXml("busy", 11800));
    // Every port of the forward busy, so the 2023 passt (which starts when
    // at least one port binds) fails as well as the newest.
    const listeners = [];
    for (
      const port of [
        11822,
        ...Array.from({ length: 100 }, (_, i) => 11900 + i),
      ]
    ) {
      try {
        listeners.push(Deno.listen({ hostname: "127.0.0.1", port }));
      } catch {
        // in use already: just as good
      }
    }
    try {
      const stateDir = `${root.path}/state`;
      const { code, stdout, stderr } = await passtkit([
        "run",
        "--state-dir",
        stateDir,
        file,
      ]);
      assert.equal(code, 1, stdout + stderr);
      assert.match(stderr, /passt exited with code 1 before it was ready/);
      assert.match(stderr, /Failed to bind any port|Couldn't listen/);
      assert.doesNotMatch(stderr, /\n\s+at /);
      assert.deepEqual(passtsMentioning(stateDir), []);
      const left = [...Deno.readDirSync(stateDir)].map((e) => e.name);
      assert.deepEqual(left, []);
    } finally {
      for (const l of listeners) l.close();
    }
  },
});

Deno.test({
  name: "passtkit run: usage errors and invalid files",
  fn: async () => {
    const none = await passtkit(["run"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^passtkit: run: takes exactly one FILE/);
    const policy = await passtkit([
      "run",
      "--restart",
      "sometimes",
      "examples/seed-local.xml",
    ]);
    assert.equal(policy.code, 2);
    assert.equal(
      policy.stderr,
      "passtkit: run: --restart takes 'never', 'on-failure', 'always', got 'sometimes'\n",
    );
    const broken = await passtkit(["run", "examples/broken.xml"]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /^examples\/broken\.xml:\d+:\d+: error: /m);
    assert.match(broken.stderr, /not started: fix the errors above first/);
  },
});

Deno.test({
  name: "passtkit run: a passt program that does not exist is one line, exit 2",
  fn: async () => {
    await using root = await tempRoot();
    for (const json of [false, true]) {
      const { code, stdout, stderr } = await passtkit([
        "run",
        ...(json ? ["--json"] : []),
        "--state-dir",
        `${root.path}/state`,
        "--passt",
        "/nonexistent",
        "examples/seed-local.xml",
      ]);
      assert.equal(code, 2, stdout + stderr);
      assert.equal(
        stderr,
        "passtkit: run: cannot run '/nonexistent': no such file\n",
      );
      if (json) {
        const failed = stdout.trim().split("\n").map((l) => JSON.parse(l))
          .at(-1);
        assert.deepEqual(failed, {
          type: "failed",
          file: "examples/seed-local.xml",
          message: "cannot run '/nonexistent': no such file",
        });
      } else {
        assert.equal(stdout, "");
      }
    }
  },
});

Deno.test({
  name: "passtkit run: one passt is 'process', not 'process(es)'",
  ...needsPasst(),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    assertPasst();
    await using root = await tempRoot();
    const file = `${root.path}/one.xml`;
    // No port forwards: nothing to collide with the other tests.
    await Deno.writeTextFile(
      file,
      "<domain><name>one</name><devices><interface type='user'><mac address='52:54:00:12:34:57'/><backend type='passt'/></interface></devices></domain>\n",
    );
    const child = spawnPasstkit(
      ["run", "--state-dir", `${root.path}/state`, file],
      { stdout: "null" },
    );
    let stderr = "";
    try {
      const until = Date.now() + 15_000;
      const reader = child.stderr.pipeThrough(new TextDecoderStream())
        .getReader();
      while (!stderr.includes("Ctrl-C") && Date.now() < until) {
        const { value, done } = await reader.read();
        if (done) break;
        stderr += value;
      }
      assert.match(
        stderr,
        /^passtkit: running 1 passt process, restart policy 'on-failure'; Ctrl-C stops it$/m,
      );
      child.kill("SIGTERM");
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        stderr += value;
      }
    } finally {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      const status = await child.status;
      assert.equal(status.code, 0, stderr);
    }
  },
});
