/**
 * End to end with the real passt: the seed interface on loopback, a guest on
 * passt's socket getting its DHCP offer, and a host connection reaching the
 * guest through the seed's port forward (spec/passt.md §2.6, §4).
 */

import assert from "node:assert/strict";
import { PasstProcess } from "@passtkit/supervisor";
import { assertPasst, needsPasst } from "./_passt.ts";
import { dhcpDiscover, Guest, parseDhcpReply, parseTcp } from "./_guest.ts";
import { listDir, passtChildren, tempRoot } from "./supervisor_helpers.ts";

/** The seed interface translated by hand, its forward rewritten to 127.0.0.1. */
function seedArgv(passt: string): string[] {
  return [
    passt,
    "--address",
    "192.168.221.122",
    "-t",
    "127.0.0.1/2022:22,5000-5099:1000-1099,~5010-5029",
    "-u",
    "127.0.0.1/10101",
  ];
}

Deno.test({
  name:
    "e2e: a guest on passt's socket gets the interface's address by DHCP and the seed's forwards",
  ...needsPasst(),
  fn: async (t) => {
    const passt = assertPasst();
    const routes = new TextDecoder().decode(
      (await new Deno.Command("ip", {
        args: ["route", "show", "default"],
        stdout: "piped",
        stderr: "null",
      })
        .output().catch(() => ({ stdout: new Uint8Array() }))).stdout,
    );
    if (!routes.includes("default")) {
      console.error(
        "note: no default route here; passt may refuse to start (its message will say why)",
      );
    }
    await using root = await tempRoot();
    const stateDir = `${root.path}/vm`;
    // Without a default route passt fails: start() then throws with its message.
    await using process = await PasstProcess.start(seedArgv(passt), {
      stateDir,
      name: "net0",
    });
    await using guest = await Guest.connect(process.socketPath!);

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

    await t.step("host 127.0.0.1:5050 reaches guest port 1050", async () => {
      using conn = await Deno.connect({ hostname: "127.0.0.1", port: 5050 });
      const syn = await guest.next((f) => {
        const segment = parseTcp(f);
        return segment?.syn && segment.dport === 1050 ? segment : undefined;
      }, "SYN to guest port 1050");
      assert.equal(syn.dst, "192.168.221.122");
      assert.equal(syn.sport, (conn.localAddr as Deno.NetAddr).port);
    });

    await t.step("host 127.0.0.1:2022 reaches guest port 22", async () => {
      using _conn = await Deno.connect({ hostname: "127.0.0.1", port: 2022 });
      await guest.next((f) => {
        const segment = parseTcp(f);
        return segment?.syn && segment.dport === 22 ? segment : undefined;
      }, "SYN to guest port 22");
    });

    await t.step("excluded host port 5015 is refused", async () => {
      await assert.rejects(
        Deno.connect({ hostname: "127.0.0.1", port: 5015 }),
        Deno.errors.ConnectionRefused,
      );
    });
    await guest[Symbol.asyncDispose]();
    await process.stop();
    assert.deepEqual(listDir(stateDir), []);
    assert.deepEqual(passtChildren(root.path), []);
  },
});
