import assert from "node:assert/strict";
import { type Captured, runCaptured } from "../../../tests/_capture_io.ts";

/** Runs `passtkit args ARGS` with captured streams. */
function args(argv: string[], stdin = ""): Promise<Captured> {
  return runCaptured(["args", ...argv], stdin);
}

const SEED = new URL("../../../examples/seed.xml", import.meta.url).pathname;
const VHOST = new URL(
  "../../xml/testdata/libvirt-11.3.0/net-vhostuser-passt.xml",
  import.meta.url,
).pathname;
const NO_SHMEM = new URL(
  "../../xml/testdata/libvirt-11.3.0/net-vhostuser-passt-no-shmem.xml",
  import.meta.url,
).pathname;

Deno.test("args prints the seed's passt command, shell-quoted", async () => {
  const { code, out, err } = await args([
    "--no-mkdir",
    "--state-dir",
    "/run/passtkit",
    "--domain-name",
    "vm",
    SEED,
  ]);
  assert.equal(code, 0);
  assert.equal(
    out,
    `# ${SEED} net0\n` +
      "passt --one-off --socket /run/passtkit/1-vm-net0.socket --pid /run/passtkit/1-vm-net0-passt.pid " +
      "--interface eth0 --log-file /tmp/xyzzy.log --address 192.168.221.122 " +
      "--tcp-ports 10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029 --udp-ports 10101\n",
  );
  // The seed's upstream attribute is a warning, on standard error.
  assert.match(err, /seed\.xml:5:\d+: warning: .*upstream/);
});

Deno.test("args names the domain after the file and defaults the state directory", async () => {
  const { code, out } = await args([
    "--no-mkdir",
    SEED,
  ]);
  assert.equal(code, 0);
  const expected = Deno.uid() === 0
    ? "/run/passtkit"
    : `${Deno.env.get("XDG_RUNTIME_DIR") ?? ""}/passtkit`;
  assert.ok(out.includes(`--socket ${expected}/1-seed-net0.socket `), out);
});

Deno.test("args --qemu adds the QEMU arguments, quoted", async () => {
  const { code, out } = await args([
    "--no-mkdir",
    "--qemu",
    "--state-dir=/var/run/libvirt/qemu/passt",
    "--domain-id=-1",
    VHOST,
  ]);
  assert.equal(code, 0);
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 9);
  assert.equal(lines[0], `# ${VHOST} net0`);
  assert.ok(lines[1]?.startsWith("passt --vhost-user --one-off --socket "));
  assert.equal(
    lines[5],
    "-chardev socket,id=charnet1,path=/var/run/libvirt/qemu/passt/-1-QEMUGuest1-net1.socket,reconnect-ms=5000 " +
      `-netdev '{"type":"vhost-user","chardev":"charnet1","id":"hostnet1"}' ` +
      `-device '{"driver":"virtio-net-pci","netdev":"hostnet1","id":"net1","mac":"00:11:22:33:44:11"}'`,
  );
});

Deno.test("args --json prints one JSON line per interface", async () => {
  const { code, out } = await args([
    "--no-mkdir",
    "--json",
    "--state-dir",
    "/s",
    "--passt",
    "/usr/bin/passt",
    "--qemu-reconnect",
    "none",
    VHOST,
  ]);
  assert.equal(code, 0);
  const records = out.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.equal(records.length, 3);
  assert.deepEqual(Object.keys(records[2]), [
    "file",
    "alias",
    "argv",
    "socket",
    "pidfile",
    "qemu",
  ]);
  assert.deepEqual(records[2], {
    file: VHOST,
    alias: "net2",
    argv: [
      "/usr/bin/passt",
      "--vhost-user",
      "--one-off",
      "--socket",
      "/s/1-QEMUGuest1-net2.socket",
      "--pid",
      "/s/1-QEMUGuest1-net2-passt.pid",
      "--interface",
      "eth43",
    ],
    socket: "/s/1-QEMUGuest1-net2.socket",
    pidfile: "/s/1-QEMUGuest1-net2-passt.pid",
    qemu: [
      "-chardev",
      "socket,id=charnet2,path=/s/1-QEMUGuest1-net2.socket",
      "-netdev",
      '{"type":"vhost-user","chardev":"charnet2","id":"hostnet2"}',
      "-device",
      '{"driver":"virtio-net-pci","netdev":"hostnet2","id":"net2","mac":"00:11:22:33:44:11"}',
    ],
  });
});

Deno.test("args exits 1 with the diagnostics and no command for an invalid file", async () => {
  const text = await args([
    "--no-mkdir",
    "--state-dir",
    "/s",
    NO_SHMEM,
  ]);
  assert.equal(text.code, 1);
  assert.equal(text.out, "");
  assert.match(
    text.err,
    /net-vhostuser-passt-no-shmem\.xml:\d+:\d+: error: 'interface' requires shared memory\n/,
  );
  const json = await args([
    "--no-mkdir",
    "--json",
    "--state-dir",
    "/s",
    NO_SHMEM,
  ]);
  assert.equal(json.code, 1);
  const record = JSON.parse(json.out);
  assert.equal(record.file, NO_SHMEM);
  assert.equal(record.diagnostics[0].code, "shared-memory-required");
  assert.ok(!("argv" in record));
});

Deno.test("args reads standard input, and reports a malformed file", async () => {
  const ok = await args(
    ["--no-mkdir", "--state-dir", "/s", "-"],
    "<interface type='user'><mac address='52:54:00:00:00:01'/><backend type='passt'/></interface>",
  );
  assert.equal(ok.code, 0);
  assert.equal(
    ok.out,
    "# <stdin> net0\npasst --one-off --socket /s/1-stdin-net0.socket --pid /s/1-stdin-net0-passt.pid\n",
  );
  const bad = await args([
    "--no-mkdir",
    "--state-dir",
    "/s",
    "-",
  ], "<interface");
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^<stdin>:1:\d+: error: /);
});

Deno.test("args refuses bad options and a missing file", async () => {
  for (
    const [argv, message] of [
      [[], /no FILE given/],
      [["--domain-id", "x", SEED], /--domain-id takes an integer, got 'x'/],
      [["--qemu-reconnect", "yes", SEED], /--qemu-reconnect takes/],
      [["--domain-name=", SEED], /--domain-name cannot be empty/],
    ] as const
  ) {
    const { code, err } = await args([...argv]);
    assert.equal(code, 2, argv.join(" "));
    assert.match(err, message);
  }
  const missing = await args([
    "--no-mkdir",
    "--state-dir",
    "/s",
    "/no/such/file.xml",
  ]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
});

Deno.test("args reports a file without passt interfaces", async () => {
  const { code, out, err } = await args(
    ["--no-mkdir", "--state-dir", "/s", "-"],
    "<interface type='network'><source network='default'/></interface>",
  );
  assert.equal(code, 0);
  assert.equal(out, "");
  assert.match(err, /no interface uses the passt backend/);
});

Deno.test("args creates a missing state directory so that the printed command runs", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = `${root}/state`;
    const { code, out, err } = await args(["--state-dir", dir, SEED]);
    assert.equal(code, 0);
    assert.match(out, new RegExp(`--socket ${dir}/1-seed-net0.socket`));
    assert.match(err, new RegExp(`passtkit: created ${dir}\n`));
    const info = await Deno.stat(dir);
    assert.ok(info.isDirectory);
    if (Deno.uid() === 0) assert.notEqual(info.uid, 0);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
