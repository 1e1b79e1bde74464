/**
 * Plain English accounts of what an interface's XML means.
 *
 * @module
 */

import { explainForward, type PasstTargetOptions } from "@passtkit/ports";
import type { InterfaceDef } from "./model.ts";
import { canonicalAddress } from "./address.ts";
import { isUserAlias } from "./_alias.ts";

/**
 * Explains an interface in plain English, one sentence per fact, in the
 * style of the seed commit's own account of its example: the address
 * offered, logging, routes, names, MTU, and every port-forwarding rule.
 *
 * @param iface The interface (from `parse`).
 * @param options Which passt's reading of "all ports" to describe.
 * @returns One sentence per fact, without trailing full stops.
 * @example Explain the seed
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainInterface, parse } from "@passtkit/xml";
 *
 * const doc = parse(`<interface type='user'>
 *   <ip address='192.168.221.122' family='ipv4'/>
 *   <backend type='passt' logFile='/tmp/xyzzy.log' upstream='eth0'/>
 *   <portForward proto='udp'><range start='10101'/></portForward>
 * </interface>`);
 * const facts = explainInterface(doc.interfaces[0]!);
 * assert.ok(facts.includes(
 *   "the guest will be offered address 192.168.221.122 for its interface via DHCP",
 * ));
 * assert.ok(facts.includes("the passt process will write all log messages to /tmp/xyzzy.log"));
 * assert.ok(facts.includes("routes to the outside are derived from host interface eth0"));
 * ```
 */
export function explainInterface(
  iface: InterfaceDef,
  options: PasstTargetOptions = {},
): string[] {
  const facts: string[] = [];
  const passt = iface.backend?.type === "passt";
  if (!passt) {
    facts.push(
      `the interface (type '${iface.type}') does not use the passt backend, so passtkit starts nothing for it`,
    );
  } else if (iface.type === "vhostuser") {
    facts.push(
      "passt serves this interface as a vhost-user back end (it needs shared guest memory and a passt from 2024-12 or later)",
    );
  } else {
    facts.push(
      "passt provides this interface's network, unprivileged, over a UNIX socket that QEMU connects to",
    );
  }
  if (iface.mac !== undefined) {
    facts.push(
      `the guest's network card has MAC address ${iface.mac.toLowerCase()}`,
    );
  }
  if (iface.model !== undefined) {
    facts.push(`the guest sees a ${iface.model} network card`);
  }
  if (iface.ips.length === 0 && passt) {
    facts.push(
      "the guest is offered the host's own address, netmask and routes (passt mirrors the host)",
    );
  }
  for (const ip of iface.ips) {
    const address = ip.address === undefined
      ? "?"
      : canonicalAddress(ip.address)?.text ?? ip.address;
    if (ip.family === "ipv6") {
      facts.push(
        `the guest will be offered IPv6 address ${address} via DHCPv6 and NDP`,
      );
    } else {
      const prefix = ip.prefix ? ` with prefix length ${ip.prefix}` : "";
      facts.push(
        `the guest will be offered address ${address}${prefix} for its interface via DHCP`,
      );
    }
  }
  for (const route of iface.routes) {
    if (route.gateway === undefined) continue;
    const family = canonicalAddress(route.gateway)?.family === "ipv6"
      ? "IPv6"
      : "IPv4";
    facts.push(`the guest's default ${family} route goes via ${route.gateway}`);
  }
  const backend = iface.backend;
  if (backend?.logFile !== undefined) {
    facts.push(
      `the passt process will write all log messages to ${backend.logFile}`,
    );
  }
  const dev = iface.sourceDev ?? backend?.upstream;
  if (dev !== undefined) {
    facts.push(`routes to the outside are derived from host interface ${dev}`);
  } else if (passt) {
    facts.push(
      "routes to the outside are derived from the host interface that has the default route",
    );
  }
  if (backend?.hostname !== undefined) {
    facts.push(`DHCP tells the guest its host name is ${backend.hostname}`);
  }
  if (backend?.fqdn !== undefined) {
    facts.push(
      `DHCP tells the guest its fully qualified domain name is ${backend.fqdn}`,
    );
  }
  if (iface.mtu) {
    facts.push(
      `the guest is told to use an MTU of ${iface.mtu} (via DHCP and NDP)`,
    );
  } else if (passt) {
    facts.push("the guest is told to use passt's default MTU of 65520");
  }
  for (const forward of iface.portForwards) {
    if (forward.proto === undefined) continue;
    facts.push(
      ...explainForward({ ...forward, proto: forward.proto }, options),
    );
  }
  if (passt && iface.portForwards.length === 0) {
    facts.push("no incoming host ports are forwarded to the guest");
  }
  if (isUserAlias(iface.alias)) {
    facts.push(`the device alias is ${iface.alias}`);
  }
  return facts;
}
