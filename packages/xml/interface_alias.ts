/**
 * libvirt's device aliases of interfaces.
 *
 * @module
 */

import type { XmlDocument } from "./model.ts";

/**
 * Returns the device alias of every interface of a document, in document
 * order, as libvirt assigns them when the domain starts: an interface's own
 * `<alias name>`, else `net<N>` with N one more than the highest `net<N>`
 * alias already taken (so `net0`, `net1`, … by position when no interface
 * has an alias). `type='hostdev'` interfaces are PCI devices to libvirt and
 * get `hostdev<N>` instead.
 *
 * @param doc The parsed document.
 * @returns One alias per interface, indexed like `doc.interfaces`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { interfaceAliases, parse } from "@passtkit/xml";
 *
 * const doc = parse(`<devices>
 *   <interface type='user'><backend type='passt'/></interface>
 *   <interface type='user'><alias name='ua-web'/><backend type='passt'/></interface>
 *   <interface type='user'><backend type='passt'/></interface>
 * </devices>`);
 * assert.deepEqual(interfaceAliases(doc), ["net0", "ua-web", "net1"]);
 * ```
 */
export function interfaceAliases(doc: XmlDocument): string[] {
  const aliases: (string | undefined)[] = doc.interfaces.map((i) => i.alias);
  const next: Record<string, number> = { net: 0, hostdev: 0 };
  for (const alias of aliases) {
    const match = alias === undefined
      ? null
      : /^(net|hostdev)([0-9]+)$/.exec(alias);
    if (match) {
      const prefix = match[1] as string;
      next[prefix] = Math.max(next[prefix] ?? 0, Number(match[2]) + 1);
    }
  }
  doc.interfaces.forEach((iface, i) => {
    if (aliases[i] !== undefined) return;
    // libvirt's qemuAssignDeviceNetAlias(def, net, -1): highest index + 1.
    const prefix = iface.type === "hostdev" ? "hostdev" : "net";
    const n = next[prefix] ?? 0;
    aliases[i] = `${prefix}${n}`;
    next[prefix] = n + 1;
  });
  return aliases as string[];
}
