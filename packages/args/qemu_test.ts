import assert from "node:assert/strict";
import { parse } from "@passtkit/xml";
import {
  buildDomainCommands,
  type BuildOptions,
  buildQemuNetdev,
} from "./mod.ts";

const TESTDATA = new URL("../xml/testdata/", import.meta.url);

function read(path: string): string {
  return Deno.readTextFileSync(new URL(path, TESTDATA));
}

/** The network arguments of a libvirt .args file, as argv pairs. */
function networkArgs(args: string): string[][] {
  const pairs: string[][] = [];
  for (const line of args.split("\n")) {
    const match = /^(-netdev|-device|-chardev) (.*?) \\$/.exec(line);
    if (!match) continue;
    const value = (match[2] as string).replace(/^'(.*)'$/, "$1");
    if (match[1] === "-chardev" && !value.includes("id=charnet")) continue;
    if (match[1] === "-device" && !value.includes('"netdev"')) continue;
    pairs.push([match[1] as string, value]);
  }
  return pairs;
}

/** libvirt's -device has bus/addr from its PCI allocation; passtkit has none. */
function withoutPciAddress(pair: string[]): string[] {
  if (pair[0] !== "-device") return pair;
  const { bus: _bus, addr: _addr, ...rest } = JSON.parse(pair[1] as string);
  return [pair[0], JSON.stringify(rest)];
}

const OPTIONS: BuildOptions = {
  stateDir: "/var/run/libvirt/qemu/passt",
  domainId: -1,
};

for (
  const [xml, args, reconnect] of [
    [
      "libvirt-11.3.0/net-user-passt.xml",
      "libvirt-11.3.0/net-user-passt.x86_64-latest.args",
      "reconnect-ms",
    ],
    [
      "libvirt-11.3.0/net-user-passt.xml",
      "libvirt-11.3.0/net-user-passt.x86_64-7.2.0.args",
      "none",
    ],
    [
      "libvirt-11.3.0/net-vhostuser-passt.xml",
      "libvirt-11.3.0/net-vhostuser-passt.x86_64-latest.args",
      "reconnect-ms",
    ],
  ] as const
) {
  Deno.test(`buildDomainCommands() gives the QEMU network arguments of ${args}`, () => {
    const result = buildDomainCommands(parse(read(xml)), {
      ...OPTIONS,
      qemuReconnect: reconnect,
    });
    assert.ok(result.ok);
    const got: string[][] = [];
    for (const command of result.commands) {
      for (let i = 0; i < command.qemu.length; i += 2) {
        got.push([command.qemu[i] as string, command.qemu[i + 1] as string]);
      }
    }
    assert.deepEqual(got, networkArgs(read(args)).map(withoutPciAddress));
  });
}

Deno.test("buildQemuNetdev() writes reconnect in seconds for QEMU 8.0 to 10.1", () => {
  const doc = parse(read("libvirt-11.3.0/net-user-passt.xml"));
  const result = buildQemuNetdev(doc, 0, {
    ...OPTIONS,
    qemuReconnect: "reconnect",
  });
  assert.ok(result.ok);
  // libvirt 9.1-10.x: tests/qemuxmlconfdata/net-user-passt.x86_64-latest.args
  assert.equal(
    result.qemu[1],
    '{"type":"stream","addr":{"type":"unix","path":"/var/run/libvirt/qemu/passt/-1-QEMUGuest1-net0.socket"},"server":false,"reconnect":5,"id":"hostnet0"}',
  );
  const vhost = buildQemuNetdev(
    parse(read("libvirt-11.3.0/net-vhostuser-passt.xml")),
    1,
    { ...OPTIONS, qemuReconnect: "reconnect" },
  );
  assert.ok(vhost.ok);
  assert.equal(
    vhost.qemu[1],
    "socket,id=charnet1,path=/var/run/libvirt/qemu/passt/-1-QEMUGuest1-net1.socket,reconnect=5",
  );
});

Deno.test("buildQemuNetdev() doubles commas in a -chardev path", () => {
  const doc = parse(read("libvirt-11.3.0/net-vhostuser-passt.xml"));
  const result = buildQemuNetdev(doc, 1, {
    stateDir: "/run/a,b",
    domainId: 1,
    qemuReconnect: "none",
  });
  assert.ok(result.ok);
  assert.equal(
    result.qemu[1],
    "socket,id=charnet1,path=/run/a,,b/1-QEMUGuest1-net1.socket",
  );
});

Deno.test("buildQemuNetdev() gives diagnostics for an invalid interface", () => {
  const doc = parse(read("libvirt-11.3.0/net-vhostuser-passt-no-shmem.xml"));
  const result = buildQemuNetdev(doc, 0, OPTIONS);
  assert.equal(result.ok, false);
  assert.ok(!("qemu" in result));
});

Deno.test("buildQemuNetdev() leaves the MAC to QEMU when the XML has none, and defaults the model", () => {
  const doc = parse(
    "<interface type='user'><backend type='passt'/></interface>",
  );
  const result = buildQemuNetdev(doc, 0, {
    stateDir: "/run/passtkit",
    domainName: "vm",
  });
  assert.ok(result.ok);
  assert.equal(
    result.qemu[3],
    '{"driver":"rtl8139","netdev":"hostnet0","id":"net0"}',
  );
});
