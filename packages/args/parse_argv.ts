/**
 * From a passt command line back to libvirt's `<interface>` XML.
 *
 * @module
 */

import { parseSpec, type PortForward, PortSpecError } from "@passtkit/ports";
import {
  canonicalAddress,
  type Diagnostic,
  escapeAttribute,
  format,
  type InterfaceDef,
  parse,
  validate,
} from "@passtkit/xml";
import { longOption, type PasstOption, shortOption } from "./_passt_options.ts";

/** Options for {@linkcode parsePasstArgv}. */
export interface ParsePasstArgvOptions {
  /**
   * Which passt's grammar port specs are read with, and whose rules the
   * resulting XML is validated against: `"2026"` also
   * accepts libvirt's `%dev/` without an address.
   *
   * @default {"2023"}
   */
  readonly target?: "2023" | "2026";
}

/** An option that was read but not turned into XML. */
export interface ArgvNote {
  /** The option as written, e.g. `-D` or `--dns`. */
  readonly option: string;
  /** Its value, if it takes one. */
  readonly value?: string;
  /** Why it is not in the XML. */
  readonly reason: string;
}

/** A problem that passt itself would refuse, or that makes the XML wrong. */
export interface ArgvError {
  /** The option as written, if the problem is with one option. */
  readonly option?: string;
  /** Its value, if any. */
  readonly value?: string;
  /** One sentence, quoting the offending text. */
  readonly message: string;
}

/** What {@linkcode parsePasstArgv} returns. */
export interface ParsedPasstArgv {
  /** The program name, when `argv` started with one. */
  readonly binary?: string;
  /** The canonical XML of a bare `<interface>`, ending in a newline. */
  readonly xml: string;
  /** The interface model of `xml` (positions refer to `xml`). */
  readonly interface: InterfaceDef;
  /** Runtime options (`-f`, `-1`, `--socket`, `--pid`): whoever runs passt chooses them. */
  readonly runtime: readonly ArgvNote[];
  /** Options with no XML equivalent; they are not in `xml`. */
  readonly unsupported: readonly ArgvNote[];
  /** Options passt would refuse, or values that cannot be written as XML. */
  readonly errors: readonly ArgvError[];
  /** What `validate` from `@passtkit/xml` says about `xml`. */
  readonly diagnostics: readonly Diagnostic[];
}

interface Occurrence {
  readonly option: PasstOption;
  readonly written: string;
  readonly value?: string;
}

function scan(
  args: readonly string[],
  errors: ArgvError[],
): Occurrence[] {
  const found: Occurrence[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      for (const extra of args.slice(i + 1)) {
        errors.push({ message: `Extra non-option argument: ${extra}` });
      }
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      const option = longOption(name);
      if (option === undefined) {
        errors.push({
          option: `--${name}`,
          message: `unrecognized option '--${name}'`,
        });
        continue;
      }
      if ("ambiguous" in option) {
        errors.push({
          option: `--${name}`,
          message: `option '--${name}' is ambiguous; possibilities: ${
            option.ambiguous.map((n) => `'--${n}'`).join(" ")
          }`,
        });
        continue;
      }
      const written = `--${name}`;
      if (!option.value) {
        if (inline !== undefined) {
          errors.push({
            option: written,
            message: `option '--${option.long}' doesn't allow an argument`,
          });
        } else found.push({ option, written });
        continue;
      }
      const value = inline ?? args[++i];
      if (value === undefined) {
        errors.push({
          option: written,
          message: `option '--${option.long}' requires an argument`,
        });
        continue;
      }
      found.push({ option, written, value });
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] as string;
        const option = shortOption(letter);
        if (option === undefined) {
          errors.push({
            option: `-${letter}`,
            message: `invalid option -- '${letter}'`,
          });
          continue;
        }
        const written = `-${letter}`;
        if (!option.value) {
          found.push({ option, written });
          continue;
        }
        // getopt: the rest of the word is the value, else the next word.
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) {
          errors.push({
            option: written,
            message: `option requires an argument -- '${letter}'`,
          });
        } else found.push({ option, written, value });
        break;
      }
      continue;
    }
    errors.push({ message: `Extra non-option argument: ${arg}` });
  }
  return found;
}

/** A netmask as a prefix length: decimal bits or a dotted contiguous mask. */
function prefixOf(text: string): number | undefined {
  if (/^[0-9]{1,2}$/.test(text)) {
    const bits = Number(text);
    return bits <= 32 ? bits : undefined;
  }
  const mask = canonicalAddress(text);
  if (mask?.family !== "ipv4") return undefined;
  const value = mask.text.split(".").reduce(
    (n, part) => n * 256 + Number(part),
    0,
  );
  const bits = value.toString(2).padStart(32, "0");
  return /^1*0*$/.test(bits)
    ? bits.indexOf("0") === -1 ? 32 : bits.indexOf("0")
    : undefined;
}

interface Ip {
  address: string;
  family: "ipv4" | "ipv6";
  prefix?: number;
  cidr: boolean;
}

interface Model {
  type: "user" | "vhostuser";
  sourceDev?: string;
  ips: Ip[];
  gateways: string[];
  forwards: PortForward[];
  logFile?: string;
  hostname?: string;
  fqdn?: string;
  mtu?: number;
}

function attr(name: string, value: string | number | undefined): string {
  return value === undefined
    ? ""
    : ` ${name}='${escapeAttribute(String(value))}'`;
}

function toXml(model: Model): string {
  const lines = [`<interface type='${model.type}'>`];
  if (model.sourceDev !== undefined) {
    lines.push(`  <source${attr("dev", model.sourceDev)}/>`);
  }
  for (const ip of model.ips) {
    lines.push(
      `  <ip${attr("address", ip.address)}${attr("family", ip.family)}${
        attr("prefix", ip.prefix || undefined)
      }/>`,
    );
  }
  for (const gateway of model.gateways) {
    lines.push(`  <route${attr("gateway", gateway)}/>`);
  }
  for (const forward of model.forwards) {
    lines.push(
      `  <portForward${attr("proto", forward.proto)}${
        attr("address", forward.address)
      }${attr("dev", forward.dev)}>`,
    );
    for (const range of forward.ranges) {
      lines.push(
        `    <range${attr("start", range.start)}${attr("end", range.end)}${
          attr("to", range.to)
        }${attr("exclude", range.exclude ? "yes" : undefined)}/>`,
      );
    }
    lines.push("  </portForward>");
  }
  lines.push(
    `  <backend type='passt'${attr("logFile", model.logFile)}${
      attr("hostname", model.hostname)
    }${attr("fqdn", model.fqdn)}/>`,
  );
  if (model.mtu !== undefined) lines.push(`  <mtu${attr("size", model.mtu)}/>`);
  lines.push("</interface>");
  // parse + format gives libvirt's canonical form.
  return format(parse(lines.join("\n"))) + "\n";
}

/**
 * Reads a passt command line back into libvirt's `<interface>` XML, for
 * importing an existing passt set-up.
 *
 * Options are read as passt's getopt_long reads them: long and short forms
 * (`--tcp-ports`/`-t`, `--udp-ports`/`-u`, `--address`/`-a`,
 * `--netmask`/`-n`, `--gateway`/`-g`, `--interface`/`-i`,
 * `--log-file`/`-l`, `--mtu`/`-m`, `--hostname`/`-H`, `--fqdn`,
 * `--vhost-user`, …), `--opt=value` and `--opt value`, `-tSPEC`, clustered
 * flags (`-1f`) and unambiguous long-option prefixes. `argv` may start with
 * the program name.
 *
 * The result is a bare `<interface type='user'>` (or `vhostuser` with
 * `--vhost-user`) with `<backend type='passt'/>`, in canonical form: port
 * specs become `<portForward>` ranges, `-a`/`-n` an `<ip>` with a prefix
 * length (a dotted netmask is converted), `-g` a `<route gateway>`, `-i`
 * `<source dev>`, `-l` `logFile`, `-m` `<mtu>`. Runtime options
 * (`-f`, `-1`, `--socket`, `--pid`) are listed in `runtime`; every other
 * option (`-D`, `--no-dhcp`, `-M`, …) is listed in `unsupported`: nothing
 * is dropped silently.
 *
 * @param argv The command line as an argv, with or without the program name.
 * @param options The passt grammar for port specs.
 * @returns The XML, its model, and what could not be written as XML.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePasstArgv } from "@passtkit/args";
 *
 * const result = parsePasstArgv([
 *   "passt", "-f", "-i", "eth0", "-a", "10.0.2.15", "-n", "255.255.255.0",
 *   "-t10.0.0.1%eth0/2022:22", "--udp-ports=10101", "-D", "1.1.1.1",
 * ]);
 * assert.equal(result.xml, `<interface type='user'>
 *   <source dev='eth0'/>
 *   <ip address='10.0.2.15' family='ipv4' prefix='24'/>
 *   <portForward proto='tcp' address='10.0.0.1' dev='eth0'>
 *     <range start='2022' to='22'/>
 *   </portForward>
 *   <portForward proto='udp'>
 *     <range start='10101'/>
 *   </portForward>
 *   <backend type='passt'/>
 * </interface>
 * `);
 * assert.deepEqual(result.runtime.map((n) => n.option), ["-f"]);
 * assert.deepEqual(result.unsupported.map((n) => [n.option, n.value]), [["-D", "1.1.1.1"]]);
 * assert.deepEqual(result.errors, []);
 * ```
 */
export function parsePasstArgv(
  argv: readonly string[],
  options: ParsePasstArgvOptions = {},
): ParsedPasstArgv {
  const target = options.target ?? "2023";
  const errors: ArgvError[] = [];
  const runtime: ArgvNote[] = [];
  const unsupported: ArgvNote[] = [];
  let args = argv;
  let binary: string | undefined;
  if (args[0] !== undefined && !args[0].startsWith("-")) {
    binary = args[0];
    args = args.slice(1);
    // passt takes no operands, so a first word that is not an option names
    // the program: passt itself, Debian's passt.avx2, or a build of it.
    const name = binary.slice(binary.lastIndexOf("/") + 1);
    if (!/^passt(\.[a-z0-9]+)?$/.test(name)) {
      errors.push({
        message:
          `'${binary}' is not passt: give passt's command line (passt OPTIONS..., or only its options)`,
      });
      // Another program's options mean nothing here.
      args = [];
    }
  }
  const found = scan(args, errors);

  const counts = new Map<string, number>();
  for (const { option } of found) {
    counts.set(option.long, (counts.get(option.long) ?? 0) + 1);
  }
  for (const [long, count] of counts) {
    const option = longOption(long) as PasstOption;
    // passt 2023 refuses most options given twice.
    if (count > 1 && !option.repeatable) {
      errors.push({
        option: `--${long}`,
        message: `Multiple --${long} options given`,
      });
    }
  }

  const model: Model = { type: "user", ips: [], gateways: [], forwards: [] };
  const netmasks: Occurrence[] = [];
  for (const occurrence of found) {
    const { option, written, value } = occurrence;
    const note = (reason: string): ArgvNote => ({
      option: written,
      ...(value !== undefined ? { value } : {}),
      reason,
    });
    const fail = (message: string) =>
      errors.push({
        option: written,
        ...(value !== undefined ? { value } : {}),
        message,
      });
    if (option.kind === "runtime") {
      runtime.push(note(option.reason ?? "chosen by whoever runs passt"));
      continue;
    }
    if (option.kind === "unsupported") {
      unsupported.push(note(option.reason ?? "no XML equivalent"));
      continue;
    }
    const text = value ?? "";
    switch (option.long) {
      case "vhost-user":
        model.type = "vhostuser";
        break;
      case "mtu": {
        const mtu = /^[0-9]+$/.test(text) ? Number(text) : NaN;
        if (mtu === 0) {
          unsupported.push(note(
            "--mtu 0 stops passt from announcing an MTU; libvirt has no way to write that",
          ));
        } else if (!(mtu >= 68 && mtu <= 65535)) {
          fail(`Invalid MTU: ${text}`);
        } else model.mtu = mtu;
        break;
      }
      case "interface":
        model.sourceDev = text;
        break;
      case "log-file":
        model.logFile = text;
        break;
      case "hostname":
        model.hostname = text;
        break;
      case "fqdn":
        model.fqdn = text;
        break;
      case "address": {
        const slash = text.indexOf("/");
        const addressText = slash >= 0 ? text.slice(0, slash) : text;
        const prefixText = slash >= 0 ? text.slice(slash + 1) : undefined;
        const address = canonicalAddress(addressText);
        if (address === undefined) {
          fail(`Invalid address: ${text}`);
          break;
        }
        const ip: Ip = {
          address: address.text,
          family: address.family,
          cidr: prefixText !== undefined,
        };
        if (prefixText !== undefined) {
          const max = address.family === "ipv4" ? 32 : 128;
          const prefix = /^[0-9]{1,3}$/.test(prefixText)
            ? Number(prefixText)
            : NaN;
          if (!(prefix <= max)) {
            fail(`Invalid prefix length in ${text}`);
            break;
          }
          if (address.family === "ipv4") ip.prefix = prefix;
          else {
            unsupported.push(note(
              "libvirt never passes an IPv6 prefix to passt; the address is kept without it",
            ));
          }
        }
        model.ips.push(ip);
        break;
      }
      case "netmask":
        netmasks.push(occurrence);
        break;
      case "gateway": {
        const gateway = canonicalAddress(text);
        if (gateway === undefined) fail(`Invalid gateway address: ${text}`);
        else model.gateways.push(gateway.text);
        break;
      }
      case "tcp-ports":
      case "udp-ports": {
        const proto = option.long === "tcp-ports" ? "tcp" : "udp";
        try {
          const parsed = parseSpec(text, { proto, target });
          // "none" is passt's default in passt mode: no <portForward> says it.
          if (parsed.mode !== "none") {
            const forward = parsed.forward;
            model.forwards.push({
              ...forward,
              ...(forward.address !== undefined
                ? {
                  address: canonicalAddress(forward.address)?.text ??
                    forward.address,
                }
                : {}),
            });
          }
        } catch (error) {
          if (!(error instanceof PortSpecError)) throw error;
          fail(error.message);
        }
        break;
      }
    }
  }

  for (const occurrence of netmasks) {
    const { written, value = "" } = occurrence;
    const prefix = prefixOf(value);
    const ipv4 = model.ips.find((ip) => ip.family === "ipv4");
    if (prefix === undefined) {
      errors.push({
        option: written,
        value,
        message: `Invalid netmask: ${value}`,
      });
    } else if (ipv4 === undefined) {
      unsupported.push({
        option: written,
        value,
        reason:
          "a netmask without an IPv4 --address applies to the host's address, which libvirt's <ip> cannot say",
      });
    } else if (ipv4.cidr) {
      errors.push({
        option: written,
        value,
        message:
          `--netmask ${value} conflicts with the prefix length in --address ${ipv4.address}/${ipv4.prefix}`,
      });
    } else if (prefix === 0) {
      unsupported.push({
        option: written,
        value,
        reason: "a zero prefix length is the same as none",
      });
    } else ipv4.prefix = prefix;
  }

  const xml = toXml(model);
  const doc = parse(xml);
  return {
    ...(binary !== undefined ? { binary } : {}),
    xml,
    interface: doc.interfaces[0] as InterfaceDef,
    runtime,
    unsupported,
    errors,
    diagnostics: validate(doc, { target }),
  };
}
