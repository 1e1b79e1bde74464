/**
 * The `<portForward>`s of each passt interface, in the form
 * `@passtkit/ports` takes.
 *
 * @module
 */

import type { PortForward } from "@passtkit/ports";
import type { PortForwardDef, XmlDocument } from "./model.ts";
import { canonicalAddress } from "./address.ts";
import { interfaceAliases } from "./interface_alias.ts";
import { servedByPasst } from "./_passt.ts";

/** One `<portForward>` as `@passtkit/ports` takes it, and where it came from. */
export interface PasstForward {
  /**
   * The forward: a valid `proto`, the address in canonical form, and the
   * ranges as parsed; `forward.ranges[i]` comes from `def.ranges[i]`.
   */
  readonly forward: PortForward;
  /** The `<portForward>` element, with the sources of its ranges. */
  readonly def: PortForwardDef;
  /** Index of `def` in the interface's `portForwards`. */
  readonly index: number;
}

/** The port forwards of one interface that libvirt runs passt for. */
export interface PasstInterfaceForwards {
  /** Index of the interface in `XmlDocument.interfaces`. */
  readonly interface: number;
  /** libvirt's device alias of the interface (see {@linkcode interfaceAliases}). */
  readonly alias: string;
  /** The forwards passt would get, in document order. */
  readonly forwards: readonly PasstForward[];
}

/**
 * Lists, for every interface that libvirt runs passt for (`<backend
 * type='passt'>` on `type='user'` or `type='vhostuser'`), the
 * `<portForward>`s that reach passt, converted for `@passtkit/ports`
 * (`checkForwards`, `effectiveMap`, `formatForward`). A `<portForward>` that
 * libvirt cannot parse (no or an invalid `proto`, an invalid `address`) is
 * left out; `validate` reports it. This is the conversion `validate` itself
 * uses for its port checks.
 *
 * @param doc The parsed document.
 * @returns One entry per passt interface, in document order.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse, passtForwards } from "@passtkit/xml";
 *
 * const doc = parse(`<devices>
 *   <interface type='user'>
 *     <backend type='passt'/>
 *     <portForward proto='tcp' address='2001:DB8::1'><range start='2022' to='22'/></portForward>
 *     <portForward proto='tpc'><range start='80'/></portForward>
 *   </interface>
 *   <interface type='bridge'><backend type='passt'/></interface>
 * </devices>`);
 * const [net0] = passtForwards(doc);
 * assert.equal(net0?.alias, "net0");
 * assert.deepEqual(net0?.forwards.map((f) => f.forward), [
 *   { proto: "tcp", address: "2001:db8::1", ranges: [{ start: 2022, to: 22 }] },
 * ]);
 * assert.equal(net0?.forwards[0]?.def.source.line, 4);
 * assert.equal(passtForwards(doc).length, 1);
 * ```
 */
export function passtForwards(doc: XmlDocument): PasstInterfaceForwards[] {
  let aliases: string[] | undefined;
  const result: PasstInterfaceForwards[] = [];
  for (const iface of doc.interfaces) {
    if (!servedByPasst(iface)) continue;
    aliases ??= interfaceAliases(doc);
    const forwards: PasstForward[] = [];
    iface.portForwards.forEach((def, index) => {
      // Forwards libvirt cannot parse never reach passt.
      if (def.proto === undefined) return;
      let address: string | undefined;
      if (def.address !== undefined) {
        address = canonicalAddress(def.address)?.text;
        if (address === undefined) return;
      }
      const forward: PortForward = {
        proto: def.proto,
        ...(address === undefined ? {} : { address }),
        ...(def.dev === undefined ? {} : { dev: def.dev }),
        ranges: def.ranges.map(({ start, end, to, exclude }) => ({
          ...(start === undefined ? {} : { start }),
          ...(end === undefined ? {} : { end }),
          ...(to === undefined ? {} : { to }),
          ...(exclude === undefined ? {} : { exclude }),
        })),
      };
      forwards.push({ forward, def, index });
    });
    result.push({
      interface: iface.index,
      alias: aliases[iface.index] as string,
      forwards,
    });
  }
  return result;
}
