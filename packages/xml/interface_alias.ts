/**
 * libvirt's device aliases of interfaces.
 *
 * @module
 */

import type { XmlDocument } from "./model.ts";
import { isUserAlias } from "./_alias.ts";

/**
 * Returns the device alias of every interface of a document, in document
 * order, as libvirt assigns them when the domain starts: an interface's own
 * user alias (`<alias name>` starting with `ua-`), else `net<N>`, counting
 * only the interfaces without a user alias. libvirt drops any other
 * `<alias name>` (such as `net7`) when the domain is defined.
 * `type='hostdev'` interfaces are PCI devices to libvirt and get
 * `hostdev<N>` instead.
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
 *   <interface type='user'><alias name='net7'/><backend type='passt'/></interface>
 * </devices>`);
 * assert.deepEqual(interfaceAliases(doc), ["net0", "ua-web", "net1"]);
 * ```
 */
export function interfaceAliases(doc: XmlDocument): string[] {
  // libvirt: a defined domain keeps only user aliases, so no
  // net<N> is taken when libvirt assigns them at start.
  const aliases: (string | undefined)[] = doc.interfaces.map((i) =>
    isUserAlias(i.alias) ? i.alias : undefined
  );
  const next: Record<string, number> = { net: 0, hostdev: 0 };
  doc.interfaces.forEach((iface, i) => {
    if (aliases[i] !== undefined) return;
    // libvirt's qemuAssignDeviceNetAlias(def, net, -1): highest index + 1,
    // so one after another here.
    const prefix = iface.type === "hostdev" ? "hostdev" : "net";
    const n = next[prefix] ?? 0;
    aliases[i] = `${prefix}${n}`;
    next[prefix] = n + 1;
  });
  return aliases as string[];
}
