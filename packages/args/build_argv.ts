/**
 * From the XML model to the passt command line libvirt would run.
 *
 * @module
 */

import { formatSpec } from "@passtkit/ports";
import {
  type Diagnostic,
  type InterfaceDef,
  validate,
  type XmlDocument,
} from "@passtkit/xml";
import {
  defaultStateDir,
  interfaceAliases,
  MAX_SOCKET_PATH,
  MAX_SOCKET_PATH_2023,
  passtPaths,
} from "./paths.ts";
import {
  byPosition,
  canonical,
  fileStem,
  interfaceDiagnostic,
  upstreamDev,
  usesPasst,
} from "./_private.ts";
import { qemuArgsFor, type QemuReconnect } from "./_qemu.ts";

export type { QemuReconnect };

/** Options for {@linkcode buildDomainCommands} and {@linkcode buildPasstArgv}. */
export interface BuildOptions {
  /**
   * The passt program, `argv[0]`: a name looked up in `PATH` or a path.
   *
   * @default {"passt"}
   */
  readonly passt?: string;
  /**
   * The absolute directory for sockets and PID files.
   *
   * @default {defaultStateDir()} `/run/passtkit` for root, `$XDG_RUNTIME_DIR/passtkit` otherwise
   */
  readonly stateDir?: string;
  /**
   * The domain id in the paths' short name.
   *
   * @default {1} or the document's `<domain id>`
   */
  readonly domainId?: number;
  /**
   * The domain name in the paths' short name.
   *
   * @default {"vm"} the document's `<name>`, else the file name without `.xml`, else `vm`
   */
  readonly domainName?: string;
  /**
   * How QEMU reconnects to passt: `reconnect-ms` (QEMU ≥ 9.2, what newest
   * libvirt uses), `reconnect` (QEMU 8.0–10.1), or `none` (QEMU < 8.0).
   *
   * @default {"reconnect-ms"}
   */
  readonly qemuReconnect?: QemuReconnect;
  /**
   * Which passt's rules validation applies: `"2023"` is Debian bookworm's
   * passt, `"2026"` the newest upstream.
   *
   * @default {"2023"}
   */
  readonly target?: "2023" | "2026";
}

/** Options for {@linkcode buildPasstArgv}: those of a domain plus the alias. */
export interface PasstArgvOptions extends BuildOptions {
  /**
   * The interface's device alias.
   *
   * @default {"net0"} the interface's user alias (`<alias name>` starting with `ua-`), else `net<N>` as libvirt assigns it
   */
  readonly alias?: string;
}

/** One passt to run for one interface, and how QEMU connects to it. */
export interface PasstCommand {
  /** Index of the interface in `XmlDocument.interfaces`. */
  readonly index: number;
  /** The interface's device alias, e.g. `net0`. */
  readonly alias: string;
  /** The passt argv, program first, in libvirt's order; run it without a shell. */
  readonly argv: readonly string[];
  /** The UNIX socket passt serves and QEMU connects to. */
  readonly socket: string;
  /** The PID file passt writes once it is ready. */
  readonly pidfile: string;
  /** QEMU arguments for the same interface (`-netdev`/`-device`, or `-chardev`/`-netdev`/`-device`). */
  readonly qemu: readonly string[];
}

/** What {@linkcode buildDomainCommands} returns. */
export type DomainCommandsResult =
  | {
    /** Every interface is valid. */
    readonly ok: true;
    /** One command per passt interface, in document order. */
    readonly commands: readonly PasstCommand[];
    /** Warnings, if any. */
    readonly diagnostics: readonly Diagnostic[];
  }
  | {
    /** The document has errors: no command is built. */
    readonly ok: false;
    /** Every problem, errors and warnings, by position. */
    readonly diagnostics: readonly Diagnostic[];
  };

/** What {@linkcode buildPasstArgv} returns. */
export type PasstArgvResult =
  | {
    /** The interface is valid. */
    readonly ok: true;
    /** Its command. */
    readonly command: PasstCommand;
    /** Warnings about the interface or the document, if any. */
    readonly diagnostics: readonly Diagnostic[];
  }
  | {
    /** The interface (or the document) has errors: no command is built. */
    readonly ok: false;
    /** The problems, errors and warnings, by position. */
    readonly diagnostics: readonly Diagnostic[];
  };

interface Resolved {
  readonly passt: string;
  readonly stateDir: string;
  readonly domainId: number;
  readonly domainName: string;
  readonly qemuReconnect: QemuReconnect;
}

function resolve(doc: XmlDocument, options: BuildOptions): Resolved {
  const stateDir = options.stateDir ?? defaultStateDir();
  if (!stateDir.startsWith("/")) {
    throw new TypeError(
      `The state directory must be an absolute path, got '${stateDir}'`,
    );
  }
  return {
    passt: options.passt ?? "passt",
    stateDir,
    domainId: options.domainId ?? doc.domain.id ?? 1,
    domainName: options.domainName ?? doc.domain.name ?? fileStem(doc.file) ??
      "vm",
    qemuReconnect: options.qemuReconnect ?? "reconnect-ms",
  };
}

/** The passt argv for a valid interface, in libvirt's order. */
function passtArgv(
  iface: InterfaceDef,
  passt: string,
  socket: string,
  pidfile: string,
): string[] {
  const argv = [passt];
  if (iface.type === "vhostuser") argv.push("--vhost-user");
  argv.push("--one-off", "--socket", socket, "--pid", pidfile);
  // libvirt ≥ 9.7.0 no longer passes --mac-addr: it sets passt's own MAC.
  if (iface.mtu) argv.push("--mtu", String(iface.mtu));
  const dev = upstreamDev(iface);
  if (dev !== undefined) argv.push("--interface", dev);
  const backend = iface.backend;
  if (backend?.logFile !== undefined) argv.push("--log-file", backend.logFile);
  if (backend?.hostname !== undefined) {
    argv.push("--hostname", backend.hostname);
  }
  if (backend?.fqdn !== undefined) argv.push("--fqdn", backend.fqdn);
  for (const ip of iface.ips) {
    if (ip.address === undefined) continue;
    argv.push("--address", canonical(ip.address));
    // The prefix length goes to passt only for IPv4; IPv6 prefixes never do.
    if (ip.family === "ipv4" && ip.prefix) {
      argv.push("--netmask", String(ip.prefix));
    }
  }
  for (const route of iface.routes) {
    if (route.gateway !== undefined) {
      argv.push("--gateway", canonical(route.gateway));
    }
  }
  for (const forward of iface.portForwards) {
    argv.push(
      forward.proto === "udp" ? "--udp-ports" : "--tcp-ports",
      formatSpec(forward.ranges, {
        ...(forward.address !== undefined
          ? { address: canonical(forward.address) }
          : {}),
        ...(forward.dev !== undefined ? { dev: forward.dev } : {}),
      }),
    );
  }
  return argv;
}

function pathDiagnostics(
  iface: InterfaceDef,
  alias: string,
  domainName: string,
  socket: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (domainName.includes("/") || domainName === "") {
    // libvirt's text for the same rule.
    out.push(interfaceDiagnostic(
      iface,
      "error",
      "domain-name-invalid",
      domainName === ""
        ? "The domain name is empty"
        : `name ${domainName} cannot contain '/'`,
    ));
  }
  if (alias.includes("/") || alias === "") {
    out.push(interfaceDiagnostic(
      iface,
      "error",
      "alias-invalid",
      `The alias '${alias}' cannot be part of a file name`,
    ));
  }
  const bytes = new TextEncoder().encode(socket).length;
  if (bytes > MAX_SOCKET_PATH) {
    out.push(interfaceDiagnostic(
      iface,
      "error",
      "socket-path-too-long",
      `The passt socket path '${socket}' is ${bytes} bytes long, more than the ${MAX_SOCKET_PATH} a UNIX socket path can hold; use a shorter state directory or domain name`,
    ));
  } else if (bytes > MAX_SOCKET_PATH_2023) {
    out.push(interfaceDiagnostic(
      iface,
      "warning",
      "socket-path-long",
      `The passt socket path '${socket}' is ${bytes} bytes long; passt before 2024 silently cuts paths longer than ${MAX_SOCKET_PATH_2023} bytes`,
    ));
  }
  return out;
}

/**
 * The naming checks here run on the names in effect (options included);
 * `validate` runs the same ones on the document's own names, at `<name>` and
 * `<alias>`. A problem it found already is not reported twice.
 */
function notRepeated(
  own: readonly Diagnostic[],
  validated: readonly Diagnostic[],
): Diagnostic[] {
  return own.filter((d) =>
    !validated.some((v) =>
      v.code === d.code &&
      (d.code === "domain-name-invalid"
        ? v.message === d.message
        : v.interface === d.interface)
    )
  );
}

function duplicateAliases(
  doc: XmlDocument,
  aliases: readonly string[],
): Diagnostic[] {
  const counts = new Map<string, number>();
  for (const alias of aliases) counts.set(alias, (counts.get(alias) ?? 0) + 1);
  const out: Diagnostic[] = [];
  aliases.forEach((alias, i) => {
    // Both interfaces would get the same socket; libvirt's text for the rule.
    if ((counts.get(alias) ?? 0) > 1) {
      out.push(interfaceDiagnostic(
        doc.interfaces[i] as InterfaceDef,
        "error",
        "alias-duplicate",
        `non unique alias detected: ${alias}`,
      ));
    }
  });
  return out;
}

function commandFor(
  iface: InterfaceDef,
  alias: string,
  resolved: Resolved,
): { command: PasstCommand; diagnostics: Diagnostic[] } {
  const { socket, pidfile } = passtPaths({
    stateDir: resolved.stateDir,
    domainId: resolved.domainId,
    domainName: resolved.domainName,
    alias,
  });
  return {
    command: {
      index: iface.index,
      alias,
      argv: passtArgv(iface, resolved.passt, socket, pidfile),
      socket,
      pidfile,
      qemu: qemuArgsFor(iface, alias, socket, resolved.qemuReconnect),
    },
    diagnostics: pathDiagnostics(iface, alias, resolved.domainName, socket),
  };
}

/**
 * Validates a document and builds the passt command of every passt
 * interface in it, exactly as newest libvirt would run them, with the QEMU
 * arguments that connect to each.
 *
 * Validation is domain-wide (ports across interfaces, shared memory for
 * vhost-user), so any error in the document, as `validate` from
 * `@passtkit/xml` reports it, or any socket path that cannot work, gives
 * diagnostics and no command at all, as libvirt refuses to start such a
 * domain. Interfaces without `<backend type='passt'/>` produce no command.
 *
 * @param doc The parsed document.
 * @param options passt program, state directory, domain id and name, QEMU reconnect style.
 * @returns The commands and any warnings, or the diagnostics.
 * @throws {TypeError} When `options.stateDir` is not an absolute path.
 * @throws {Deno.errors.NotCapable} When `options.stateDir` is not given and
 *   the default cannot be read (see {@linkcode defaultStateDir}).
 * @example The seed example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "@passtkit/xml";
 * import { buildDomainCommands } from "@passtkit/args";
 *
 * const doc = parse(`<interface type='user'>
 *   <mac address='52:54:00:a8:33:fc'/>
 *   <ip address='192.168.221.122' family='ipv4'/>
 *   <model type='virtio'/>
 *   <backend type='passt' logFile='/tmp/xyzzy.log' upstream='eth0'/>
 *   <portForward address='10.0.0.1' proto='tcp' dev='eth0'>
 *     <range start='2022' to='22'/>
 *     <range start='5000' end='5099' to='1000'/>
 *     <range start='5010' end='5029' exclude='yes'/>
 *   </portForward>
 *   <portForward proto='udp'><range start='10101'/></portForward>
 * </interface>`);
 * const result = buildDomainCommands(doc, { stateDir: "/run/passtkit", domainName: "vm" });
 * assert.ok(result.ok);
 * assert.deepEqual(result.commands[0]?.argv, [
 *   "passt", "--one-off",
 *   "--socket", "/run/passtkit/1-vm-net0.socket",
 *   "--pid", "/run/passtkit/1-vm-net0-passt.pid",
 *   "--interface", "eth0", "--log-file", "/tmp/xyzzy.log",
 *   "--address", "192.168.221.122",
 *   "--tcp-ports", "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
 *   "--udp-ports", "10101",
 * ]);
 * ```
 * @example An invalid document gives diagnostics, never an argv
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "@passtkit/xml";
 * import { buildDomainCommands } from "@passtkit/args";
 *
 * const doc = parse(`<interface type='user'>
 *   <backend type='passt'/>
 *   <portForward proto='tcp'><range start='0'/></portForward>
 * </interface>`);
 * const result = buildDomainCommands(doc, { stateDir: "/run/passtkit" });
 * assert.equal(result.ok, false);
 * assert.equal(result.diagnostics.find((d) => d.severity === "error")?.code, "range-zero");
 * ```
 */
export function buildDomainCommands(
  doc: XmlDocument,
  options: BuildOptions = {},
): DomainCommandsResult {
  const resolved = resolve(doc, options);
  const aliases = interfaceAliases(doc);
  const validated = validate(
    doc,
    options.target ? { target: options.target } : {},
  );
  // An alias used twice is validate's to report: these are the document's
  // own aliases.
  const own: Diagnostic[] = [];
  const commands: PasstCommand[] = [];
  for (const iface of doc.interfaces) {
    if (!usesPasst(iface)) continue;
    const built = commandFor(iface, aliases[iface.index] as string, resolved);
    own.push(...built.diagnostics);
    commands.push(built.command);
  }
  const diagnostics = [...validated, ...notRepeated(own, validated)];
  const sorted = byPosition(diagnostics);
  if (sorted.some((d) => d.severity === "error")) {
    return { ok: false, diagnostics: sorted };
  }
  return { ok: true, commands, diagnostics: sorted };
}

/**
 * Validates one interface in the context of its document and builds its
 * passt command, exactly as newest libvirt would run it: `--vhost-user`
 * for `vhostuser`, `--one-off`, `--socket`, `--pid`, `--mtu`, `--interface`,
 * `--log-file`, `--hostname`, `--fqdn`, `--address`/`--netmask` per `<ip>`,
 * `--gateway` per `<route>`, then one `--tcp-ports`/`--udp-ports` per
 * `<portForward>`. No `--mac-addr`: it would set passt's own MAC, not the
 * guest's.
 *
 * An error that belongs to this interface, or to the document as a whole,
 * gives diagnostics and no command; errors in other interfaces do not.
 *
 * @param doc The parsed document the interface belongs to.
 * @param iface The interface, or its index in `doc.interfaces`.
 * @param options passt program, state directory, domain id and name, alias, QEMU reconnect style.
 * @returns The command and any warnings, or the diagnostics.
 * @throws {RangeError} When `iface` is an index with no interface, or an
 *   interface that is not in `doc`.
 * @throws {TypeError} When `options.stateDir` is not an absolute path.
 * @throws {Deno.errors.NotCapable} When `options.stateDir` is not given and
 *   the default cannot be read (see {@linkcode defaultStateDir}).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "@passtkit/xml";
 * import { buildPasstArgv } from "@passtkit/args";
 *
 * const doc = parse(`<domain type='kvm'><name>web</name><devices>
 *   <interface type='user'>
 *     <source dev='eth0'/>
 *     <ip address='10.0.2.15' family='ipv4' prefix='24'/>
 *     <backend type='passt'/>
 *     <mtu size='1500'/>
 *   </interface>
 * </devices></domain>`);
 * const result = buildPasstArgv(doc, 0, { stateDir: "/run/passtkit", domainId: 7 });
 * assert.ok(result.ok);
 * assert.deepEqual(result.command.argv, [
 *   "passt", "--one-off",
 *   "--socket", "/run/passtkit/7-web-net0.socket",
 *   "--pid", "/run/passtkit/7-web-net0-passt.pid",
 *   "--mtu", "1500", "--interface", "eth0",
 *   "--address", "10.0.2.15", "--netmask", "24",
 * ]);
 * ```
 */
export function buildPasstArgv(
  doc: XmlDocument,
  iface: InterfaceDef | number,
  options: PasstArgvOptions = {},
): PasstArgvResult {
  const target = typeof iface === "number" ? doc.interfaces[iface] : iface;
  if (target === undefined || doc.interfaces[target.index] !== target) {
    throw new RangeError(
      `No interface ${
        typeof iface === "number" ? iface : "like the one given"
      } in this document`,
    );
  }
  const resolved = resolve(doc, options);
  const aliases = interfaceAliases(doc);
  if (options.alias !== undefined) aliases[target.index] = options.alias;
  const mine = (d: Diagnostic) =>
    d.interface === undefined || d.interface === target.index;
  const validated = validate(
    doc,
    options.target ? { target: options.target } : {},
  ).filter(mine);
  const diagnostics: Diagnostic[] = [
    ...validated,
    ...notRepeated(duplicateAliases(doc, aliases).filter(mine), validated),
  ];
  if (!usesPasst(target)) {
    diagnostics.push(interfaceDiagnostic(
      target,
      "error",
      "not-passt",
      `This <interface type='${target.type}'> does not use the passt backend`,
    ));
  }
  const built = commandFor(
    target,
    aliases[target.index] as string,
    resolved,
  );
  diagnostics.push(...notRepeated(built.diagnostics, validated));
  const sorted = byPosition(diagnostics);
  if (sorted.some((d) => d.severity === "error")) {
    return { ok: false, diagnostics: sorted };
  }
  return { ok: true, command: built.command, diagnostics: sorted };
}
