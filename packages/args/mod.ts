/**
 * From libvirt's passt `<interface>` XML to the exact command line libvirt
 * would run for passt, and the QEMU arguments that connect to it; and back
 * from a passt command line to the XML.
 *
 * Values reach passt as argv elements, never through a shell;
 * {@linkcode shellQuote} gives the text form to paste into one.
 *
 * @example The seed example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "@passtkit/xml";
 * import { buildDomainCommands, parsePasstArgv, shellQuote } from "@passtkit/args";
 *
 * const doc = parse(`<interface type='user'>
 *   <ip address='192.168.221.122' family='ipv4'/>
 *   <backend type='passt' logFile='/tmp/xyzzy.log'/>
 *   <portForward proto='tcp'><range start='2022' to='22'/></portForward>
 * </interface>`);
 * const result = buildDomainCommands(doc, { stateDir: "/run/passtkit", domainName: "vm" });
 * assert.ok(result.ok);
 * const command = result.commands[0]!;
 * assert.equal(
 *   shellQuote(command.argv),
 *   "passt --one-off --socket /run/passtkit/1-vm-net0.socket " +
 *     "--pid /run/passtkit/1-vm-net0-passt.pid --log-file /tmp/xyzzy.log " +
 *     "--address 192.168.221.122 --tcp-ports 2022:22",
 * );
 * // And back: the command line gives the same interface.
 * assert.equal(parsePasstArgv(command.argv).xml, `<interface type='user'>
 *   <ip address='192.168.221.122' family='ipv4'/>
 *   <portForward proto='tcp'>
 *     <range start='2022' to='22'/>
 *   </portForward>
 *   <backend type='passt' logFile='/tmp/xyzzy.log'/>
 * </interface>
 * `);
 * ```
 *
 * @module
 */
export * from "./build_argv.ts";
export * from "./qemu.ts";
export * from "./paths.ts";
export * from "./state_dir.ts";
export * from "./parse_argv.ts";
export * from "./shell_quote.ts";
// The @passtkit/xml model types this package's functions take and return.
export type {
  AttributeSource,
  BackendDef,
  Diagnostic,
  DocumentKind,
  DomainInfo,
  ElementSource,
  InterfaceDef,
  IpDef,
  IpFamily,
  PortForward,
  PortForwardDef,
  PortRange,
  Protocol,
  RangeDef,
  RawElement,
  RouteDef,
  SourcePosition,
  XmlDocument,
} from "@passtkit/xml";
