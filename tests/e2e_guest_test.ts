/**
 * End to end with the real passt: the seed's XML (on loopback, at free host
 * ports) parsed, validated and built into passt's command line by passtkit,
 * that passt started by the supervisor, a guest on its socket getting the
 * DHCP offer of the XML's address, and host connections and datagrams
 * reaching the guest through the XML's forwards.
 */

import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { parse, validate } from "@passtkit/xml";
import { buildDomainCommands } from "@passtkit/args";
import { PasstProcess } from "@passtkit/supervisor";
import { assertPasst, needsPasst } from "./_passt.ts";
import {
  dhcpDiscover,
  Guest,
  parseDhcpReply,
  parseTcp,
  parseUdp,
} from "./_guest.ts";
import { freeSeedOffset } from "./_ports.ts";
import { loopbackSeed } from "./_seed.ts";
import { listDir, passtChildren, tempRoot } from "./supervisor_helpers.ts";

// Disjoint from args_passt_test.ts's offsets and cli_run_test.ts's ports.
const E2E_SEED_OFFSETS = [13600, 13800, 12600];

async function hasDefaultRoute(): Promise<boolean> {
  const { stdout } = await new Deno.Command("ip", {
    args: ["route", "show", "default"],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => ({ stdout: new Uint8Array() }));
  return new TextDecoder().decode(stdout).includes("default");
}

Deno.test({
  name:
    "e2e: the seed's XML, run by passtkit, gives a guest its address by DHCP and the seed's forwards",
  ...needsPasst(),
  fn: async (t) => {
    const passt = assertPasst();
    if (!(await hasDefaultRoute())) {
      console.error(
        "note: no default route here; passt may refuse to start (its message will say why)",
      );
    }
    await using root = await tempRoot();
    const stateDir = `${root.path}/vm`;
    const o = freeSeedOffset(E2E_SEED_OFFSETS);
    let upstream = "lo";
    try {
      await Deno.lstat("/sys/class/net/eth0");
      upstream = "eth0";
    } catch {
      // no eth0: routes from lo
    }
    const doc = parse(loopbackSeed(root.path, o, upstream), {
      file: "seed.xml",
    });
    const errors = validate(doc).filter((d) => d.severity === "error");
    assert.deepEqual(errors, []);
    const built = buildDomainCommands(doc, {
      stateDir,
      domainName: "vm",
      passt,
    });
    assert.ok(built.ok);
    const [command] = built.commands;
    assert.ok(command !== undefined && built.commands.length === 1);
    assert.ok(
      command.argv.includes(
        `127.0.0.1%lo/${2022 + o}:22,${5000 + o}-${5099 + o}:1000-1099,~${
          5010 + o
        }-${5029 + o}`,
      ),
      command.argv.join(" "),
    );

    // Without a default route passt fails: start() then throws with its message.
    await using process = await PasstProcess.start(command.argv, {
      stateDir,
      name: command.alias,
    });
    assert.equal(process.socketPath, command.socket);
    await using guest = await Guest.connect(command.socket);

    await t.step("DHCP offer carries the <ip address> of the XML", async () => {
      const xid = 0x12345678;
      await guest.send(dhcpDiscover(xid));
      const offer = await guest.next(
        (f) => {
          const reply = parseDhcpReply(f);
          return reply?.xid === xid ? reply : undefined;
        },
        "DHCP OFFER",
      );
      assert.equal(offer.messageType, 2);
      assert.equal(offer.yiaddr, "192.168.221.122");
    });

    await t.step(
      `host 127.0.0.1:${5050 + o} reaches guest port 1050`,
      async () => {
        using conn = await Deno.connect({
          hostname: "127.0.0.1",
          port: 5050 + o,
        });
        const syn = await guest.next((f) => {
          const segment = parseTcp(f);
          return segment?.syn && segment.dport === 1050 ? segment : undefined;
        }, "SYN to guest port 1050");
        assert.equal(syn.dst, "192.168.221.122");
        assert.equal(syn.sport, (conn.localAddr as Deno.NetAddr).port);
      },
    );

    await t.step(
      `host 127.0.0.1:${2022 + o} reaches guest port 22`,
      async () => {
        using _conn = await Deno.connect({
          hostname: "127.0.0.1",
          port: 2022 + o,
        });
        await guest.next((f) => {
          const segment = parseTcp(f);
          return segment?.syn && segment.dport === 22 ? segment : undefined;
        }, "SYN to guest port 22");
      },
    );

    await t.step(`excluded host port ${5015 + o} is refused`, async () => {
      await assert.rejects(
        Deno.connect({ hostname: "127.0.0.1", port: 5015 + o }),
        Deno.errors.ConnectionRefused,
      );
    });

    await t.step(
      `host UDP 127.0.0.1:${10101 + o} reaches the same guest UDP port`,
      async () => {
        const text = "ping from the host";
        const socket = createSocket("udp4");
        try {
          await new Promise<void>((resolve, reject) =>
            socket.send(
              text,
              10101 + o,
              "127.0.0.1",
              (error) => error ? reject(error) : resolve(),
            )
          );
        } finally {
          socket.close();
        }
        const datagram = await guest.next((f) => {
          const udp = parseUdp(f);
          return udp?.dport === 10101 + o ? udp : undefined;
        }, `UDP datagram to guest port ${10101 + o}`);
        assert.equal(datagram.dst, "192.168.221.122");
        assert.equal(new TextDecoder().decode(datagram.payload), text);
      },
    );

    await guest[Symbol.asyncDispose]();
    await process.stop();
    assert.deepEqual(listDir(stateDir), []);
    assert.deepEqual(passtChildren(root.path), []);
  },
});
