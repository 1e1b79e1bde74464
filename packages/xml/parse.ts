/**
 * Reads libvirt domain XML into the passtkit model.
 *
 * @module
 */

import { parseXml, type XmlElement, XmlError } from "@rgrove/parse-xml";
import type { Protocol } from "@passtkit/ports";
import type {
  BackendDef,
  DocumentKind,
  DomainInfo,
  ElementSource,
  InterfaceDef,
  IpDef,
  IpFamily,
  PortForwardDef,
  RangeDef,
  RawElement,
  RouteDef,
  XmlDocument,
} from "./model.ts";
import { XmlParseError } from "./errors.ts";
import { attributeSources, checkDepth, LineIndex } from "./_scan.ts";

/** Options for {@linkcode parse}. */
export interface ParseOptions {
  /** File name used in error messages and kept in the result. */
  readonly file?: string;
  /**
   * Largest document accepted, in UTF-16 code units.
   *
   * @default {16777216}
   */
  readonly maxSize?: number;
  /**
   * Deepest element nesting accepted.
   *
   * @default {256}
   */
  readonly maxDepth?: number;
}

/** Child elements of `<interface>` that libvirt knows (it drops any other). */
export const KNOWN_INTERFACE_CHILDREN: readonly string[] = [
  "mac",
  "source",
  "vlan",
  "virtualport",
  "bandwidth",
  "port",
  "ip",
  "route",
  "portForward",
  "script",
  "downscript",
  "backenddomain",
  "target",
  "guest",
  "model",
  "driver",
  "backend",
  "filterref",
  "tune",
  "teaming",
  "link",
  "mtu",
  "coalesce",
  "boot",
  "alias",
  "rom",
  "acpi",
  "address",
  "actual",
];

const MODELLED = new Set([
  "mac",
  "source",
  "ip",
  "route",
  "portForward",
  "model",
  "backend",
  "mtu",
  "alias",
]);

class Reader {
  readonly lines: LineIndex;
  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  source(element: XmlElement): ElementSource {
    return {
      name: element.name,
      ...this.lines.position(element.start),
      attributes: attributeSources(
        this.text,
        element.start,
        element.attributes,
        this.lines,
      ),
      start: element.start,
      end: element.end,
    };
  }

  /** `source(element)` plus the children not named in `modelled`, verbatim. */
  sourceWithOthers(
    element: XmlElement,
    modelled: readonly string[] = [],
  ): ElementSource {
    const source = this.source(element);
    const others = childElements(element)
      .filter((child) => !modelled.includes(child.name))
      .map((child) => this.raw(child, false));
    return others.length === 0 ? source : { ...source, others };
  }

  raw(element: XmlElement, known: boolean): RawElement {
    return {
      name: element.name,
      xml: this.text.slice(element.start, element.end),
      known,
      source: this.source(element),
    };
  }
}

function childElements(element: XmlElement, name?: string): XmlElement[] {
  const result: XmlElement[] = [];
  for (const child of element.children) {
    if (child.type === "element") {
      const e = child as XmlElement;
      if (name === undefined || e.name === name) result.push(e);
    }
  }
  return result;
}

/**
 * Parses an unsigned decimal the way libvirt's `virStrToLong_uip` does
 * (leading white space and `+` accepted, nothing after the digits).
 */
function unsigned(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\+?[0-9]+$/.test(value)) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) && n <= 0xffffffff ? n : undefined;
}

function positive(value: string | undefined): number | undefined {
  const n = unsigned(value);
  return n === 0 ? undefined : n;
}

function definedProps<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

function readRange(reader: Reader, element: XmlElement): RangeDef {
  const a = element.attributes;
  return definedProps({
    start: positive(a.start),
    end: positive(a.end),
    to: positive(a.to),
    exclude: a.exclude === "yes"
      ? true
      : a.exclude === "no"
      ? false
      : undefined,
    source: reader.sourceWithOthers(element),
  });
}

function readPortForward(reader: Reader, element: XmlElement): PortForwardDef {
  const a = element.attributes;
  const proto: Protocol | undefined = a.proto === "tcp" || a.proto === "udp"
    ? a.proto
    : undefined;
  return definedProps({
    proto,
    address: a.address,
    dev: a.dev,
    ranges: childElements(element, "range").map((r) => readRange(reader, r)),
    source: reader.sourceWithOthers(element, ["range"]),
  });
}

function familyOf(address: string | undefined): IpFamily | undefined {
  if (address === undefined) return undefined;
  if (address.includes(":")) return "ipv6";
  if (/^[0-9.]+$/.test(address)) return "ipv4";
  return undefined;
}

function readIp(reader: Reader, element: XmlElement): IpDef {
  const a = element.attributes;
  const family = a.family === "ipv4" || a.family === "ipv6"
    ? a.family
    : a.family === undefined
    ? familyOf(a.address)
    : undefined;
  return definedProps({
    address: a.address,
    family,
    prefix: unsigned(a.prefix),
    peer: a.peer,
    source: reader.sourceWithOthers(element),
  });
}

function readRoute(reader: Reader, element: XmlElement): RouteDef {
  const a = element.attributes;
  return definedProps({
    gateway: a.gateway,
    family: a.family,
    address: a.address,
    prefix: unsigned(a.prefix),
    netmask: a.netmask,
    metric: unsigned(a.metric),
    source: reader.sourceWithOthers(element),
  });
}

function readBackend(reader: Reader, element: XmlElement): BackendDef {
  const a = element.attributes;
  return definedProps({
    type: a.type,
    logFile: a.logFile,
    hostname: a.hostname,
    fqdn: a.fqdn,
    upstream: a.upstream,
    tap: a.tap,
    vhost: a.vhost,
    source: reader.sourceWithOthers(element),
  });
}

function readInterface(
  reader: Reader,
  element: XmlElement,
  index: number,
): InterfaceDef {
  const first = (name: string) => childElements(element, name)[0];
  const attr = (name: string, attribute: string) =>
    first(name)?.attributes[attribute];
  const elements: Record<string, ElementSource[]> = {};
  const others: RawElement[] = [];
  for (const child of childElements(element)) {
    if (MODELLED.has(child.name)) {
      (elements[child.name] ??= []).push(
        reader.sourceWithOthers(
          child,
          child.name === "portForward" ? ["range"] : [],
        ),
      );
    } else {
      others.push(
        reader.raw(child, KNOWN_INTERFACE_CHILDREN.includes(child.name)),
      );
    }
  }
  const backend = first("backend");
  return definedProps({
    type: element.attributes.type ?? "",
    index,
    mac: attr("mac", "address"),
    sourceDev: attr("source", "dev"),
    ips: childElements(element, "ip").map((e) => readIp(reader, e)),
    routes: childElements(element, "route").map((e) => readRoute(reader, e)),
    portForwards: childElements(element, "portForward").map((e) =>
      readPortForward(reader, e)
    ),
    model: attr("model", "type"),
    backend: backend ? readBackend(reader, backend) : undefined,
    mtu: unsigned(attr("mtu", "size")),
    alias: attr("alias", "name"),
    elements,
    others,
    source: reader.source(element),
  });
}

function readDomain(root: XmlElement, lines: LineIndex): DomainInfo {
  const nameElement = childElements(root, "name")[0];
  const name = nameElement?.text.trim();
  const id = root.attributes.id === undefined
    ? undefined
    : Number.parseInt(root.attributes.id, 10);
  const access = childElements(root, "memoryBacking").flatMap((m) =>
    childElements(m, "access")
  )[0]?.attributes.mode;
  const cells = childElements(root, "cpu").flatMap((cpu) =>
    childElements(cpu, "numa").flatMap((numa) => childElements(numa, "cell"))
  );
  const allCellsShared = cells.length > 0 &&
    cells.every((cell) => cell.attributes.memAccess === "shared");
  return definedProps({
    name: name || undefined,
    nameSource: nameElement && name
      ? lines.position(nameElement.start)
      : undefined,
    id: id !== undefined && Number.isSafeInteger(id) ? id : undefined,
    sharedMemory: access === "shared" || allCellsShared,
  });
}

/**
 * Parses a `<domain>` document, a `<devices>` fragment, or a bare
 * `<interface>` (as `virsh attach-device` takes) into the passtkit model.
 *
 * Only XML that cannot be read throws; a document that libvirt or passt
 * would reject still parses, and `validate` lists its problems. Entities
 * other than XML's five are never expanded: a document that declares any is
 * refused.
 *
 * @param text The XML text.
 * @param options File name for messages, size and depth limits.
 * @returns The document model, with every interface in document order.
 * @throws {XmlParseError} When the XML is not well-formed, too large or too
 *   deep, declares entities, or its root is not `<domain>`, `<devices>` or
 *   `<interface>`.
 *
 * @example Parse the seed interface
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "@passtkit/xml";
 *
 * const doc = parse(`<interface type='user'>
 *   <ip address='192.168.221.122' family='ipv4'/>
 *   <backend type='passt' logFile='/tmp/xyzzy.log'/>
 *   <portForward proto='tcp'><range start='2022' to='22'/></portForward>
 * </interface>`);
 * const iface = doc.interfaces[0]!;
 * assert.equal(iface.backend?.type, "passt");
 * assert.equal(iface.ips[0]?.address, "192.168.221.122");
 * assert.deepEqual(
 *   { start: iface.portForwards[0]?.ranges[0]?.start, to: iface.portForwards[0]?.ranges[0]?.to },
 *   { start: 2022, to: 22 },
 * );
 * assert.equal(iface.portForwards[0]?.source.line, 4);
 * ```
 */
export function parse(text: string, options: ParseOptions = {}): XmlDocument {
  const { file, maxSize = 16 * 1024 * 1024, maxDepth = 256 } = options;
  const lines = new LineIndex(text);
  if (text.length > maxSize) {
    throw new XmlParseError(
      `document is ${text.length} characters long, more than the limit of ${maxSize}`,
      { line: 1, column: 1 },
      file,
    );
  }
  const limit = checkDepth(text, maxDepth);
  if (limit) {
    throw new XmlParseError(limit.reason, lines.position(limit.offset), file);
  }
  let root: XmlElement;
  try {
    const parsed = parseXml(text, { includeOffsets: true });
    if (!parsed.root) throw new Error("no root element");
    root = parsed.root;
  } catch (error) {
    if (error instanceof XmlError) {
      const reason = (error.message.split("\n")[0] ?? error.message)
        .replace(/ \(line \d+, column \d+\)$/, "");
      throw new XmlParseError(
        reason,
        { line: error.line, column: error.column },
        file,
      );
    }
    if (error instanceof RangeError) {
      throw new XmlParseError(
        "document is too deeply nested",
        { line: 1, column: 1 },
        file,
      );
    }
    throw error;
  }
  const reader = new Reader(text);
  let kind: DocumentKind;
  let interfaceElements: XmlElement[];
  let domain: DomainInfo = { sharedMemory: false };
  switch (root.name) {
    case "domain":
      kind = "domain";
      domain = readDomain(root, lines);
      interfaceElements = childElements(root, "devices").flatMap((d) =>
        childElements(d, "interface")
      );
      break;
    case "devices":
      kind = "devices";
      interfaceElements = childElements(root, "interface");
      break;
    case "interface":
      kind = "interface";
      interfaceElements = [root];
      break;
    default:
      throw new XmlParseError(
        `expected <domain>, <devices> or <interface> as the root element, found <${root.name}>`,
        lines.position(root.start),
        file,
      );
  }
  return definedProps({
    file,
    text,
    kind,
    domain,
    interfaces: interfaceElements.map((e, i) => readInterface(reader, e, i)),
  });
}
