import assert from "node:assert/strict";
import { ArgvError, normalizeArgv, optionValue } from "./mod.ts";

Deno.test("normalizeArgv() adds -f, --socket and --pid in the state directory", () => {
  const n = normalizeArgv(["passt", "--address", "192.168.221.122"], {
    stateDir: "/run/p",
    name: "net0",
  });
  assert.equal(n.program, "passt");
  assert.deepEqual(n.args, [
    "-f",
    "--address",
    "192.168.221.122",
    "--socket",
    "/run/p/net0.socket",
    "--pid",
    "/run/p/net0.pid",
  ]);
  assert.equal(n.socketPath, "/run/p/net0.socket");
  assert.equal(n.pidFile, "/run/p/net0.pid");
});

Deno.test("normalizeArgv() keeps the argv's own socket and puts the PID file next to it", () => {
  const n = normalizeArgv(["--foreground", "-s", "/run/x/vm-net0.socket"]);
  assert.equal(n.program, "passt");
  assert.deepEqual(n.args, [
    "--foreground",
    "-s",
    "/run/x/vm-net0.socket",
    "--pid",
    "/run/x/vm-net0.pid",
  ]);
});

Deno.test("normalizeArgv() reads every spelling of an option", () => {
  const table: [string[], string, string | undefined][] = [
    [["-s", "/a"], "socket", "/a"],
    [["-s/a"], "socket", "/a"],
    [["-1fs/a"], "socket", "/a"],
    [["--socket", "/a"], "socket", "/a"],
    [["--socket=/a"], "socket", "/a"],
    [["--socket-path", "/a"], "socket", "/a"],
    [["-P", "/p"], "pid", "/p"],
    [["-fP/p"], "pid", "/p"],
    [["--pid=/p"], "pid", "/p"],
    [["--runas", "107:108"], "runas", "107:108"],
    [["-t", "-s"], "socket", undefined], // "-s" is -t's value here
  ];
  for (const [argv, name, value] of table) {
    assert.equal(optionValue(argv, name), value, argv.join(" "));
  }
});

Deno.test("normalizeArgv() does not add -f when it is bundled", () => {
  const n = normalizeArgv(["-1f", "--socket", "/a.sock", "-P", "/a.pid"]);
  assert.deepEqual(n.args, ["-1f", "--socket", "/a.sock", "-P", "/a.pid"]);
  assert.equal(n.oneOff, true);
});

Deno.test("normalizeArgv() makes relative socket and PID paths absolute", () => {
  const n = normalizeArgv(["-f", "--socket=rel.sock", "-Prel.pid"]);
  assert.equal(n.args[1], `--socket=${Deno.cwd()}/rel.sock`);
  assert.equal(n.args[2], `-P${Deno.cwd()}/rel.pid`);
  assert.equal(n.pidFile, `${Deno.cwd()}/rel.pid`);
});

Deno.test("normalizeArgv() leaves out --socket with --fd", () => {
  const n = normalizeArgv(["--fd", "5"], { stateDir: "/run/p" });
  assert.equal(n.socketPath, undefined);
  assert.deepEqual(n.args, ["-f", "--fd", "5", "--pid", "/run/p/passt.pid"]);
});

Deno.test("normalizeArgv() rejects argvs it cannot complete", () => {
  assert.throws(() => normalizeArgv(["passt"]), ArgvError);
  assert.throws(() => normalizeArgv(["passt", "--socket"]), /needs a value/);
  assert.throws(
    () => normalizeArgv(["-s", "/" + "x".repeat(98)]),
    /longer than 98 bytes/,
  );
  normalizeArgv(["-s", "/" + "x".repeat(97)]);
});
