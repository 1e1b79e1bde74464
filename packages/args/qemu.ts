/**
 * The QEMU arguments that connect a guest NIC to its passt.
 *
 * @module
 */

import type { Diagnostic, InterfaceDef, XmlDocument } from "@passtkit/xml";
import { buildPasstArgv, type PasstArgvOptions } from "./build_argv.ts";

/** What {@linkcode buildQemuNetdev} returns. */
export type QemuNetdevResult =
  | {
    /** The interface is valid. */
    readonly ok: true;
    /** The QEMU arguments, option and value as separate elements. */
    readonly qemu: readonly string[];
    /** Warnings, if any. */
    readonly diagnostics: readonly Diagnostic[];
  }
  | {
    /** The interface (or the document) has errors. */
    readonly ok: false;
    /** The problems, by position. */
    readonly diagnostics: readonly Diagnostic[];
  };

/**
 * Builds the QEMU arguments for one passt interface, as newest libvirt
 * writes them: for `type='user'`, `-netdev` with a `stream` JSON object
 * connecting to passt's socket (with `reconnect-ms` 5000 by default) and
 * `-device` with the model, the MAC and netdev `host<alias>`; for
 * `type='vhostuser'`, `-chardev socket,…`, `-netdev` `vhost-user` and a
 * `virtio-net-pci` `-device` (the guest's memory must be shared, which is
 * QEMU's `-object memory-backend-…,share=on` and not part of these
 * arguments).
 *
 * The `-device` object has no `bus`/`addr`: libvirt takes those from its
 * own PCI address allocation. A model-less `type='user'` interface gets
 * libvirt's x86 default, `rtl8139`.
 *
 * @param doc The parsed document the interface belongs to.
 * @param iface The interface, or its index in `doc.interfaces`.
 * @param options As for `buildPasstArgv`; `qemuReconnect` selects the reconnect key.
 * @returns The QEMU arguments, or the diagnostics when the interface is invalid.
 * @throws {RangeError} When `iface` is not an interface of `doc`.
 * @throws {TypeError} When `options.stateDir` is not an absolute path.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "@passtkit/xml";
 * import { buildQemuNetdev } from "@passtkit/args";
 *
 * const doc = parse(`<interface type='user'>
 *   <mac address='00:11:22:33:44:55'/><model type='virtio'/><backend type='passt'/>
 * </interface>`);
 * const result = buildQemuNetdev(doc, 0, { stateDir: "/run/passtkit", domainName: "vm" });
 * assert.ok(result.ok);
 * assert.deepEqual(result.qemu, [
 *   "-netdev",
 *   '{"type":"stream","addr":{"type":"unix","path":"/run/passtkit/1-vm-net0.socket"},"server":false,"reconnect-ms":5000,"id":"hostnet0"}',
 *   "-device",
 *   '{"driver":"virtio-net-pci","netdev":"hostnet0","id":"net0","mac":"00:11:22:33:44:55"}',
 * ]);
 * ```
 */
export function buildQemuNetdev(
  doc: XmlDocument,
  iface: InterfaceDef | number,
  options: PasstArgvOptions = {},
): QemuNetdevResult {
  const result = buildPasstArgv(doc, iface, options);
  if (!result.ok) return result;
  return {
    ok: true,
    qemu: result.command.qemu,
    diagnostics: result.diagnostics,
  };
}
