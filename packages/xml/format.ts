/**
 * Writes interfaces back in libvirt's canonical form.
 *
 * @module
 */

import type {
  InterfaceDef,
  IpDef,
  PortForwardDef,
  RawElement,
  RouteDef,
  XmlDocument,
} from "./model.ts";
import { canonicalAddress } from "./address.ts";
import { isUserAlias } from "./_alias.ts";

/** Options for {@linkcode formatInterface}. */
export interface FormatInterfaceOptions {
  /**
   * Indentation of the `<interface>` line itself; children get two more spaces.
   *
   * @default {""}
   */
  readonly indent?: string;
}

// where libvirt writes each child it does not model, relative to the
// ones it does. Unknown elements go last.
const BEFORE_IP = ["vlan", "virtualport", "bandwidth", "port"];
const BEFORE_MODEL = [
  "script",
  "downscript",
  "backenddomain",
  "target",
  "guest",
];
const BEFORE_BACKEND = ["driver"];
const BEFORE_MTU = ["filterref", "tune", "teaming", "link"];
const BEFORE_ALIAS = ["coalesce", "boot"];
const AFTER_ALIAS = ["rom", "acpi", "address", "actual"];

/**
 * Escapes an attribute value as libvirt does: the five XML entities, and
 * control characters other than tab, line feed and carriage return dropped.
 * Tab, line feed and carriage return are written as character references
 * (`&#9;`, `&#10;`, `&#13;`): written raw, an XML reader turns them into
 * spaces, so the value would change on the next read.
 *
 * @param value The raw value.
 * @returns The escaped text, without quotes.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeAttribute } from "@passtkit/xml";
 * assert.equal(escapeAttribute("a'b<c>&\"d"), "a&apos;b&lt;c&gt;&amp;&quot;d");
 * ```
 */
export function escapeAttribute(value: string): string {
  // deno-lint-ignore no-control-regex
  return value.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "").replace(
    /[&<>"'\t\n\r]/g,
    (c) =>
      ({
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&apos;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
      })[
        c
      ] ?? c,
  );
}

function attrs(
  pairs: readonly [string, string | number | undefined][],
): string {
  return pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}='${escapeAttribute(String(v))}'`)
    .join("");
}

function address(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return canonicalAddress(text)?.text ?? text;
}

/**
 * Whether an interface uses the passt backend.
 *
 * @param iface An interface of a parsed document.
 * @returns `true` when its `<backend type>` is `passt`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPasst, parse } from "@passtkit/xml";
 *
 * const doc = parse(`<devices>
 *   <interface type='user'><backend type='passt'/></interface>
 *   <interface type='user'/>
 * </devices>`);
 * assert.deepEqual(doc.interfaces.map(isPasst), [true, false]);
 * ```
 */
export function isPasst(iface: InterfaceDef): boolean {
  return iface.backend?.type === "passt";
}

/**
 * Whether `format` rewrites this interface: passt interfaces and
 * `type='user'` ones. Any other interface is left byte for byte as written.
 *
 * @param iface An interface of a parsed document.
 * @returns `true` when `format` rewrites it.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isFormatted, parse } from "@passtkit/xml";
 *
 * const doc = parse(`<devices>
 *   <interface type='user'/>
 *   <interface type='network'><source network='default'/></interface>
 * </devices>`);
 * assert.deepEqual(doc.interfaces.map(isFormatted), [true, false]);
 * ```
 */
export function isFormatted(iface: InterfaceDef): boolean {
  return isPasst(iface) || iface.type === "user";
}

function ipLine(ip: IpDef): string {
  const canonical = ip.address ? canonicalAddress(ip.address) : undefined;
  return `<ip${
    attrs([
      ["address", canonical?.text ?? ip.address],
      ["family", ip.family ?? canonical?.family],
      ["prefix", ip.prefix ? ip.prefix : undefined],
      ["peer", address(ip.peer)],
    ])
  }/>`;
}

function routeLine(route: RouteDef): string {
  return `<route${
    attrs([
      ["family", route.family],
      ["address", address(route.address)],
      ["netmask", route.netmask],
      ["prefix", route.prefix],
      ["gateway", address(route.gateway)],
      ["metric", route.metric],
    ])
  }/>`;
}

function portForwardLines(
  forward: PortForwardDef,
  indent: string,
  text: string,
): string[] {
  const open = `<portForward${
    attrs([
      ["proto", forward.proto ?? forward.source.attributes.proto?.value],
      ["address", address(forward.address)],
      ["dev", forward.dev],
    ])
  }`;
  const ranges = forward.ranges
    .map((r) =>
      attrs([
        ["start", r.start],
        ["end", r.start ? r.end : undefined],
        ["to", r.start ? r.to : undefined],
        [
          "exclude",
          r.exclude === undefined ? undefined : r.exclude ? "yes" : "no",
        ],
      ])
    )
    .filter((a) => a !== "")
    .map((a) => `${indent}  <range${a}/>`);
  // Kept so that nothing is lost (libvirt would drop them; validate warns).
  const others = (forward.source.others ?? []).map((o) =>
    reindent(o, text, `${indent}  `)
  );
  const children = [...ranges, ...others];
  if (children.length === 0) return [`${indent}${open}/>`];
  return [`${indent}${open}>`, ...children, `${indent}</portForward>`];
}

function reindent(raw: RawElement, text: string, indent: string): string {
  const lineStart = text.lastIndexOf("\n", raw.source.start - 1) + 1;
  const before = text.slice(lineStart, raw.source.start);
  const oldIndent = /^[ \t]*$/.test(before) ? before : "";
  const lines = raw.xml.split("\n");
  return lines
    .map((line, i) => {
      if (i === 0) return indent + line;
      return line.startsWith(oldIndent)
        ? indent + line.slice(oldIndent.length)
        : line;
    })
    .join("\n");
}

function rawLines(
  iface: InterfaceDef,
  names: readonly string[] | null,
  text: string,
  indent: string,
): string[] {
  return iface.others
    .filter((o) =>
      names === null
        ? !o.known || !KNOWN_PLACED.has(o.name)
        : names.includes(o.name)
    )
    .map((o) => reindent(o, text, indent));
}

const KNOWN_PLACED = new Set([
  ...BEFORE_IP,
  ...BEFORE_MODEL,
  ...BEFORE_BACKEND,
  ...BEFORE_MTU,
  ...BEFORE_ALIAS,
  ...AFTER_ALIAS,
]);

/**
 * Writes one interface in libvirt's canonical form: children in libvirt's
 * order, attributes in libvirt's order with single quotes, defaults omitted,
 * `family` added, MAC lower-cased, IPv6 compressed. The seed design's
 * `<backend upstream>` becomes `<source dev>`, its released equivalent.
 * Elements passtkit does not model are kept verbatim in libvirt's position;
 * children of `<portForward>` other than `<range>` are kept after its ranges.
 *
 * @param iface The interface.
 * @param options Indentation.
 * @param text The document text the interface came from (for verbatim elements).
 * @returns The XML of the interface, from `<interface` to `</interface>`, the
 *   first line without indentation.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatInterface, parse } from "@passtkit/xml";
 *
 * const doc = parse(`<interface type="user"><backend logFile="/tmp/l" type="passt"/>
 *   <mac address="52:54:00:A8:33:FC"/></interface>`);
 * assert.equal(
 *   formatInterface(doc.interfaces[0]!, {}, doc.text),
 *   "<interface type='user'>\n  <mac address='52:54:00:a8:33:fc'/>\n" +
 *     "  <backend type='passt' logFile='/tmp/l'/>\n</interface>",
 * );
 * ```
 */
export function formatInterface(
  iface: InterfaceDef,
  options: FormatInterfaceOptions = {},
  text = "",
): string {
  const base = options.indent ?? "";
  const indent = base + "  ";
  const passt = isPasst(iface);
  const lines: string[] = [];
  const push = (line: string | undefined) => {
    if (line !== undefined) lines.push(indent + line);
  };
  const extra = Object.entries(iface.source.attributes)
    .filter(([name]) => name !== "type")
    .map(([name, a]) => [name, a.value] as [string, string]);
  const open = `<interface${attrs([["type", iface.type], ...extra])}>`;

  if (iface.mac !== undefined) {
    // libvirt writes address, type, check, then the rest as written.
    const written = iface.elements.mac?.[0]?.attributes ?? {};
    const rest = Object.entries(written)
      .filter(([name]) => !["address", "type", "check"].includes(name))
      .map(([name, a]) => [name, a.value] as [string, string]);
    push(
      `<mac${
        attrs([
          ["address", iface.mac.toLowerCase()],
          ["type", written.type?.value],
          ["check", written.check?.value],
          ...rest,
        ])
      }/>`,
    );
  }
  const dev = iface.sourceDev ?? iface.backend?.upstream;
  if (passt && dev !== undefined) push(`<source${attrs([["dev", dev]])}/>`);
  lines.push(...rawLines(iface, BEFORE_IP, text, indent));
  for (const ip of iface.ips) push(ipLine(ip));
  for (const route of iface.routes) push(routeLine(route));
  for (const forward of iface.portForwards) {
    lines.push(...portForwardLines(forward, indent, text));
  }
  lines.push(...rawLines(iface, BEFORE_MODEL, text, indent));
  const model = iface.model ??
    (passt && iface.type === "vhostuser" ? "virtio" : undefined);
  if (model !== undefined) push(`<model${attrs([["type", model]])}/>`);
  lines.push(...rawLines(iface, BEFORE_BACKEND, text, indent));
  const b = iface.backend;
  if (b) {
    const backend = attrs([
      ["type", b.type === "default" || b.type === "" ? undefined : b.type],
      ["tap", b.tap],
      ["vhost", b.vhost],
      ["logFile", b.logFile],
      ["hostname", b.hostname],
      ["fqdn", b.fqdn],
    ]);
    if (backend !== "") push(`<backend${backend}/>`);
  }
  lines.push(...rawLines(iface, BEFORE_MTU, text, indent));
  if (iface.mtu) push(`<mtu${attrs([["size", iface.mtu]])}/>`);
  lines.push(...rawLines(iface, BEFORE_ALIAS, text, indent));
  // libvirt keeps only user aliases in a defined domain.
  if (isUserAlias(iface.alias)) {
    push(`<alias${attrs([["name", iface.alias]])}/>`);
  }
  lines.push(...rawLines(iface, AFTER_ALIAS, text, indent));
  lines.push(...rawLines(iface, null, text, indent));
  if (lines.length === 0) return open.replace(/>$/, "/>");
  return [open, ...lines, `${base}</interface>`].join("\n");
}

/**
 * Writes a document back with every passt (and `type='user'`) interface in
 * libvirt's canonical form; every other byte of the document stays as it was.
 * Formatting twice gives the same text.
 *
 * Format only valid documents (see `validate`): values that do not parse are
 * written as the model holds them.
 *
 * @param doc A parsed document.
 * @returns The new document text.
 * @example Canonical form of the seed
 * ```ts
 * import assert from "node:assert/strict";
 * import { format, parse } from "@passtkit/xml";
 *
 * const text = `<interface type='user'>
 *   <portForward dev='eth0' proto='tcp'><range to='22' start='2022'/></portForward>
 *   <backend type='passt' upstream='eth0'/>
 * </interface>
 * `;
 * const once = format(parse(text));
 * assert.equal(once, `<interface type='user'>
 *   <source dev='eth0'/>
 *   <portForward proto='tcp' dev='eth0'>
 *     <range start='2022' to='22'/>
 *   </portForward>
 *   <backend type='passt'/>
 * </interface>
 * `);
 * assert.equal(format(parse(once)), once);
 * ```
 */
export function format(doc: XmlDocument): string {
  // Built front to back in pieces: splicing into one growing string copied
  // the whole document per interface (quadratic in the interface count).
  const parts: string[] = [];
  let at = 0;
  // A file with CRLF line ends keeps them in the rewritten interfaces too.
  const crlf = doc.text.includes("\r\n");
  for (const iface of doc.interfaces) {
    if (!isFormatted(iface)) continue;
    const { start, end } = iface.source;
    const lineStart = doc.text.lastIndexOf("\n", start - 1) + 1;
    const before = doc.text.slice(lineStart, start);
    const indent = /^[ \t]*$/.test(before) ? before : "";
    const xml = formatInterface(iface, { indent }, doc.text);
    parts.push(
      doc.text.slice(at, start),
      crlf ? xml.replace(/\r?\n/g, "\r\n") : xml,
    );
    at = end;
  }
  parts.push(doc.text.slice(at));
  return parts.join("");
}
