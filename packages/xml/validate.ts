/**
 * Checks a parsed document against libvirt's parse and validation rules and
 * against what passt accepts.
 *
 * @module
 */

import { checkForwards, type PortForward } from "@passtkit/ports";
import leven, { closestMatch } from "leven";
import type {
  Diagnostic,
  ElementSource,
  InterfaceDef,
  PortForwardDef,
  RangeDef,
  RawElement,
  SourcePosition,
  XmlDocument,
} from "./model.ts";
import { canonicalAddress } from "./address.ts";
import { ipv4Octets, ipv6Parts } from "./_ip.ts";
import { KNOWN_INTERFACE_CHILDREN } from "./parse.ts";
import { type PasstForward, passtForwards } from "./passt_forwards.ts";
import { servedByPasst } from "./_passt.ts";
import { isUserAlias } from "./_alias.ts";
import { interfaceAliases } from "./interface_alias.ts";

/** Options for {@linkcode validate}. */
export interface ValidateOptions {
  /**
   * Which passt's rules apply to ports and port specs: `"2023"` is Debian
   * bookworm's passt, `"2026"` the newest upstream.
   *
   * @default {"2023"}
   */
  readonly target?: "2023" | "2026";
}

// libvirt's virDomainNetType names (newest).
const NET_TYPES = new Set([
  "user",
  "ethernet",
  "vhostuser",
  "server",
  "client",
  "mcast",
  "network",
  "bridge",
  "internal",
  "direct",
  "hostdev",
  "udp",
  "vdpa",
  "null",
  "vds",
]);

// Attributes libvirt's grammar knows on each modelled element. `upstream`
// is left out of <backend>: it has a warning of its own.
const KNOWN_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  interface: ["type", "trustGuestRxFilters"],
  mac: ["address", "type", "check", "currentAddress"],
  source: [
    "dev",
    "type",
    "path",
    "mode",
    "bridge",
    "network",
    "portgroup",
    "portid",
    "address",
    "port",
    "name",
    "switchid",
    "portgroupid",
    "connectionid",
  ],
  ip: ["address", "family", "prefix", "peer"],
  route: ["family", "address", "netmask", "prefix", "gateway", "metric"],
  portForward: ["proto", "address", "dev"],
  range: ["start", "end", "to", "exclude"],
  model: ["type"],
  backend: ["type", "tap", "vhost", "logFile", "hostname", "fqdn", "upstream"],
  mtu: ["size"],
  alias: ["name"],
};

// Child elements libvirt knows inside each modelled element; any other is
// ignored. `<source>` children are checked for passt interfaces only.
const KNOWN_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  portForward: ["range"],
  // libvirt: host-side <ip>/<route> have a rule of their own.
  source: ["reconnect", "ip", "route"],
};

// Enumerated attribute values, for "did you mean" hints.
const PROTOCOLS = ["tcp", "udp"];
const BACKEND_TYPES = ["passt", "default"];
const EXCLUDE_VALUES = ["yes", "no"];
const IP_FAMILIES = ["ipv4", "ipv6"];
const LINK_STATES = ["up", "down"];

/**
 * The candidate a misspelt `value` most likely meant: one edit away
 * (letter case aside), or two when they are a transposition or the word is
 * long enough that two edits still leave it recognisable.
 */
function suggestion(
  value: string,
  candidates: Iterable<string>,
): string | undefined {
  const list = [...candidates];
  if (value === "" || list.length === 0) return undefined;
  const lower = value.toLowerCase();
  const lowered = list.map((c) => c.toLowerCase());
  const best = closestMatch(lower, lowered) as string;
  const edits = leven(lower, best);
  const letters = (text: string) => [...text].sort().join("");
  const close = edits <= 1 ||
    (edits === 2 && (letters(lower) === letters(best) || lower.length >= 5));
  return close ? list[lowered.indexOf(best)] : undefined;
}

/** `did you mean 'tcp'?`, or `undefined` when nothing is close. */
function meantValue(
  value: string,
  candidates: Iterable<string>,
): string | undefined {
  const meant = suggestion(value, candidates);
  return meant === undefined ? undefined : `did you mean '${meant}'?`;
}

/** `did you mean <range>?`, or `undefined` when nothing is close. */
function meantElement(
  name: string,
  candidates: Iterable<string>,
): string | undefined {
  const meant = suggestion(name, candidates);
  return meant === undefined ? undefined : `did you mean <${meant}>?`;
}

/**
 * Why passt refuses `address` as `--address` ("Invalid address" for loopback,
 * multicast, broadcast, unspecified and IPv4-mapped ones), or `undefined`.
 */
function refusedGuestAddress(address: string): string | undefined {
  const octets = ipv4Octets(address);
  if (octets) {
    const first = octets[0] ?? 0;
    if (first === 127) return "loopback";
    if (first >= 224 && first <= 239) return "multicast";
    if (octets.every((o) => o === 255)) return "broadcast";
    if (octets.every((o) => o === 0)) return "unspecified";
    return undefined;
  }
  const parts = ipv6Parts(address);
  if (parts === undefined) return undefined;
  if (parts.every((p) => p === 0)) return "unspecified";
  if (parts.slice(0, 7).every((p) => p === 0) && parts[7] === 1) {
    return "loopback";
  }
  if (((parts[0] ?? 0) >> 8) === 0xff) return "multicast";
  if (parts.slice(0, 5).every((p) => p === 0) && parts[5] === 0xffff) {
    return "IPv4-mapped";
  }
  return undefined;
}

// Elements libvirt reads only once per interface (the first one wins).
const SINGLE_ELEMENTS = ["mac", "source", "model", "backend", "mtu", "alias"];

// virDomainNetIsVirtioModel.
const VIRTIO_MODELS = new Set([
  "virtio",
  "virtio-transitional",
  "virtio-non-transitional",
]);

// virMacAddrParse: six groups of one or two hex digits separated by ':';
// anything after a character <= ' ' is ignored.
// deno-lint-ignore no-control-regex
const MAC = /^[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}(?:[\x00-\x20][^]*)?$/;

/**
 * The options libvirt passes that the Debian 12 passt (2023_03_09) lacks,
 * with the first passt release that has each.
 */
const OPTIONS_AFTER_2023 = {
  hostname: ["--hostname", "2025_02_17"],
  fqdn: ["--fqdn", "2025_02_17"],
  vhostuser: ["--vhost-user", "2024_12_11"],
} as const;

// RNG dnsName.
const DNS_NAME = /^[a-zA-Z0-9.-]+$/;

// virStrToLong_uip as parse.ts reads it.
const UNSIGNED = /^\s*\+?[0-9]+$/;

const IFNAMSIZ_MAX = 15;
const MTU_MIN = 68;
const MTU_MAX = 65535;

type Severity = Diagnostic["severity"];

class Collector {
  readonly #list: Diagnostic[] = [];

  add(
    severity: Severity,
    code: string,
    message: string,
    at: SourcePosition,
    iface?: number,
    hint?: string,
  ): void {
    this.#list.push({
      severity,
      code,
      message,
      ...(hint === undefined ? {} : { hint }),
      line: at.line,
      column: at.column,
      ...(iface === undefined ? {} : { interface: iface }),
    });
  }

  sorted(): Diagnostic[] {
    // Array.prototype.sort is stable, so problems at one spot keep rule order.
    return [...this.#list].sort((a, b) =>
      a.line - b.line || a.column - b.column
    );
  }
}

/** The position of attribute `name` of `element`, or of the element itself. */
function at(element: ElementSource, name?: string): SourcePosition {
  const attribute = name === undefined ? undefined : element.attributes[name];
  return attribute ?? element;
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Linux interface names: at most IFNAMSIZ − 1 bytes, no '/', ':', '%' or blanks. */
function ifNameProblem(
  name: string,
  what: string,
  length = true,
): { code: string; message: string } | undefined {
  if (name === "") {
    return {
      code: "interface-name-empty",
      message: `The host interface name in ${what} is empty`,
    };
  }
  if (/[\s/:%]/.test(name) || name === "." || name === "..") {
    return {
      code: "interface-name-invalid",
      message: `'${name}' in ${what} is not a valid Linux interface name`,
    };
  }
  const bytes = byteLength(name);
  if (length && bytes > IFNAMSIZ_MAX) {
    return {
      code: "interface-name-too-long",
      message:
        `The interface name '${name}' in ${what} is ${bytes} bytes long; Linux allows at most ${IFNAMSIZ_MAX}`,
    };
  }
  return undefined;
}

/** Checks one interface; `report` adds a diagnostic tagged with its index. */
class InterfaceChecker {
  readonly iface: InterfaceDef;
  readonly passt: boolean;
  /** Whether libvirt got past parsing `type` (validation rules need it). */
  readonly typeKnown: boolean;

  constructor(
    iface: InterfaceDef,
    readonly doc: XmlDocument,
    readonly target: "2023" | "2026",
    readonly out: Collector,
    /** Index of the document's first `type='vhostuser'` interface. */
    readonly firstVhostuser?: number,
  ) {
    this.iface = iface;
    this.typeKnown = NET_TYPES.has(iface.type) &&
      iface.source.attributes.type !== undefined;
    this.passt = servedByPasst(iface);
  }

  error(
    code: string,
    message: string,
    where: SourcePosition,
    hint?: string,
  ): void {
    this.out.add("error", code, message, where, this.iface.index, hint);
  }

  warning(
    code: string,
    message: string,
    where: SourcePosition,
    hint?: string,
  ): void {
    this.out.add("warning", code, message, where, this.iface.index, hint);
  }

  run(): void {
    this.checkType();
    this.checkBackend();
    this.checkMac();
    this.checkSource();
    this.checkIps();
    this.checkRoutes();
    this.checkPortForwards();
    this.checkMtu();
    this.checkModel();
    this.checkSharedMemory();
    this.checkLink();
    this.checkAlias();
    this.checkStructure();
  }

  checkAlias(): void {
    const name = this.iface.elements.alias?.[0]?.attributes.name;
    // libvirt: a defined domain keeps only user aliases.
    if (name !== undefined && !isUserAlias(name.value)) {
      this.warning(
        "alias-ignored",
        `libvirt ignores <alias name='${name.value}'>: only names starting with 'ua-' are kept`,
        name,
      );
    }
  }

  checkType(): void {
    const { iface } = this;
    const type = iface.source.attributes.type;
    // virXMLPropEnum(..., VIR_XML_PROP_REQUIRED) on <interface type>.
    if (type === undefined) {
      this.error(
        "interface-type-missing",
        "Missing required attribute 'type' in element 'interface'",
        iface.source,
      );
    } else if (!NET_TYPES.has(type.value)) {
      this.error(
        "interface-type-invalid",
        `Invalid value for attribute 'type' in element 'interface': '${type.value}'.`,
        type,
        meantValue(type.value, NET_TYPES),
      );
    }
  }

  checkBackend(): void {
    const backend = this.iface.backend;
    if (!backend) return;
    const type = backend.source.attributes.type;
    // libvirt: `default` is accepted since 10.6.0; an empty type means default.
    if (
      type !== undefined && type.value !== "" && type.value !== "passt" &&
      type.value !== "default"
    ) {
      this.error(
        "backend-type-invalid",
        `Invalid value for attribute 'type' in element 'backend': '${type.value}'.`,
        type,
        meantValue(type.value, BACKEND_TYPES),
      );
    }
    // libvirt 11.1.0+ text.
    if (backend.type === "passt" && this.typeKnown && !this.passt) {
      this.error(
        "passt-backend-type",
        "The 'passt' backend can only be used with interface type='user' or type='vhostuser'",
        at(backend.source, "type"),
      );
    }
    if (backend.upstream !== undefined) this.checkUpstream();
    if (!this.passt) return;
    // passtkit: passt needs an absolute --log-file (RNG absFilePath).
    if (backend.logFile !== undefined && !backend.logFile.startsWith("/")) {
      this.error(
        "log-file-not-absolute",
        `The logFile '${backend.logFile}' is not an absolute path`,
        at(backend.source, "logFile"),
      );
    }
    for (const name of ["hostname", "fqdn"] as const) {
      const value = backend[name];
      if (value !== undefined && !DNS_NAME.test(value)) {
        this.error(
          `${name}-invalid`,
          `The ${name} '${value}' is not a DNS name: only letters, digits, '.' and '-' are allowed`,
          at(backend.source, name),
        );
      }
      if (value !== undefined) this.checkOptionSince(name, backend.source);
    }
    if (this.iface.type === "vhostuser") {
      this.checkOptionSince("vhostuser", this.iface.source);
    }
  }

  /**
   * passtkit: an option the 2023 passt does not have. libvirt writes it
   * whatever the passt, and that passt then refuses to start ("unrecognized
   * option"), so the target 2023 warns; the XML itself is valid.
   */
  checkOptionSince(
    what: keyof typeof OPTIONS_AFTER_2023,
    element: ElementSource,
  ): void {
    if (this.target !== "2023") return;
    const [option, since] = OPTIONS_AFTER_2023[what];
    const where = what === "vhostuser"
      ? at(element, "type")
      : at(element, what);
    const written = what === "vhostuser"
      ? "<interface type='vhostuser'>"
      : `<backend ${what}>`;
    this.warning(
      "passt-option-too-new",
      `${written} makes passt run with ${option}, which passt 2023 (Debian 12's) lacks and refuses to start with; it was added in passt ${since} (validate with --target 2026 for a newer passt)`,
      where,
    );
  }

  checkUpstream(): void {
    const { iface } = this;
    const backend = iface.backend!;
    const upstream = backend.upstream!;
    const where = at(backend.source, "upstream");
    if (this.passt) this.checkIfName(upstream, "<backend upstream>", where);
    // libvirt: `upstream` was removed before 9.0.0; it means <source dev>.
    if (
      this.passt && iface.sourceDev !== undefined &&
      iface.sourceDev !== upstream
    ) {
      this.error(
        "upstream-conflict",
        `<backend upstream='${upstream}'> and <source dev='${iface.sourceDev}'> name different host interfaces, but both set passt's --interface`,
        where,
      );
      return;
    }
    this.warning(
      "upstream-ignored",
      `Released libvirt ignores <backend upstream='${upstream}'>; passtkit treats it as <source dev='${upstream}'/>`,
      where,
    );
  }

  checkMac(): void {
    const { iface } = this;
    const element = iface.elements.mac?.[0];
    const mac = iface.mac;
    if (mac === undefined) {
      // libvirt generates a random MAC, so the guest's MAC changes per define.
      if (this.passt) {
        this.warning(
          "mac-missing",
          "The interface has no <mac address>; libvirt generates a random one",
          element ?? iface.source,
        );
      }
      return;
    }
    const where = at(element!, "address");
    // As libvirt checks it.
    if (!MAC.test(mac)) {
      this.error(
        "mac-invalid",
        `unable to parse mac address '${mac}'`,
        where,
      );
    } else if (Number.parseInt(mac.slice(0, mac.indexOf(":")), 16) & 1) {
      this.error(
        "mac-multicast",
        `expected unicast mac address, found multicast '${mac}'`,
        where,
      );
    }
  }

  checkSource(): void {
    const { iface } = this;
    const source = iface.elements.source?.[0];
    // libvirt 11.x: without passt, vhostuser needs a socket path.
    const vhostuser = this.typeKnown && iface.type === "vhostuser" &&
      !this.passt;
    if (vhostuser && source?.attributes.path === undefined) {
      this.error(
        "vhostuser-source-path-missing",
        "Missing required attribute 'path' in element 'source'",
        source ?? iface.source,
      );
    }
    if (!source) return;
    // libvirt: QEMU only reconnects as the client.
    const reconnect = source.others?.find((o) => o.name === "reconnect");
    if (
      vhostuser && reconnect && source.attributes.mode?.value === "server"
    ) {
      this.error(
        "vhostuser-reconnect-server",
        "'reconnect' attribute is not supported when source mode='server' for <interface type='vhostuser'>",
        reconnect.source,
      );
    }
    // libvirt 11.x: vhostuser sources are UNIX sockets.
    const type = source.attributes.type;
    if (iface.type === "vhostuser" && type && type.value !== "unix") {
      this.error(
        "vhostuser-source-type",
        `Type='${type.value}' unsupported for <interface type='vhostuser'>`,
        type,
      );
    }
    // libvirt: host-side addresses and routes are for ethernet only.
    const hostSide = source.others?.find((o) =>
      o.name === "ip" || o.name === "route"
    );
    if (hostSide && this.typeKnown && iface.type !== "ethernet") {
      this.error(
        "source-ip-unsupported",
        `Invalid attempt to set network interface host-side IP route and/or address info on interface of type '${iface.type}'. This is only supported on interfaces of type 'ethernet'`,
        hostSide.source,
      );
    }
    // libvirt 11.x reads <source dev> only for the passt backend.
    if (this.passt && iface.sourceDev !== undefined) {
      this.checkIfName(iface.sourceDev, "<source dev>", at(source, "dev"));
    }
  }

  /** Linux interface names: IFNAMSIZ − 1 bytes, no '/', ':', '%' or blanks. */
  checkIfName(
    name: string,
    what: string,
    where: SourcePosition,
    length = true,
  ): void {
    const problem = ifNameProblem(name, what, length);
    if (problem) this.error(problem.code, problem.message, where);
  }

  checkIps(): void {
    const { iface } = this;
    // libvirt: guest <ip> only for user (any backend) and vhostuser+passt.
    const allowed = iface.type === "user" || this.passt;
    let hasV4 = false;
    let hasV6 = false;
    for (const ip of iface.ips) {
      const a = ip.source.attributes;
      // libvirt's parse errors, in its order.
      if (a.address === undefined) {
        this.error(
          "ip-address-missing",
          "Missing required address in <ip>",
          ip.source,
        );
        continue;
      }
      const canonical = canonicalAddress(a.address.value);
      const written = a.family?.value;
      const family = written === "ipv4" || written === "ipv6"
        ? written
        : canonical?.family;
      if (!canonical || canonical.family !== family) {
        this.error(
          "ip-address-invalid",
          `Invalid address '${a.address.value}' in <ip>`,
          a.address,
        );
        continue;
      }
      // libvirt takes any other family as "from the address", so it is no
      // error; the written value is likely a typo.
      if (written !== undefined && written !== family) {
        this.warning(
          "ip-family-unknown",
          `libvirt ignores <ip family='${written}'> and takes the family from the address '${a.address.value}'`,
          a.family!,
          meantValue(written, IP_FAMILIES),
        );
      }
      const prefix = ip.prefix ?? 0;
      if (
        a.prefix !== undefined &&
        (ip.prefix === undefined || prefix > (family === "ipv4" ? 32 : 128))
      ) {
        this.error(
          "ip-prefix-invalid",
          `Invalid prefix value '${a.prefix.value}' in <ip>`,
          a.prefix,
        );
        continue;
      }
      if (a.peer !== undefined) {
        const peer = canonicalAddress(a.peer.value);
        if (!peer || peer.family !== family) {
          this.error(
            "ip-peer-invalid",
            `Invalid peer '${a.peer.value}' in <ip>`,
            a.peer,
          );
          continue;
        }
      }
      if (!this.typeKnown) continue;
      if (!allowed) {
        this.error(
          "ip-unsupported",
          "Invalid attempt to set network interface guest-side IP address info, not supported for this interface type/backend",
          ip.source,
        );
        continue;
      }
      if (a.peer !== undefined) {
        this.error(
          "ip-peer",
          "Invalid attempt to set peer IP for guest",
          a.peer,
        );
      }
      const refused = this.passt
        ? refusedGuestAddress(canonical.text)
        : undefined;
      if (refused !== undefined) {
        this.error(
          "ip-address-refused",
          `passt rejects the ${refused} address '${a.address.value}' as a guest address`,
          a.address,
        );
      }
      if (family === "ipv4") {
        if (hasV4) {
          this.error(
            "ip-duplicate-ipv4",
            "Only one IPv4 address per interface is allowed",
            ip.source,
          );
        }
        hasV4 = true;
        // newest libvirt applies 4..27 only to non-passt backends.
        if (!this.passt && prefix > 0 && (prefix < 4 || prefix > 27)) {
          this.error(
            "ip-prefix-range",
            "invalid prefix, must be in range of 4-27",
            at(ip.source, "prefix"),
          );
        }
      } else {
        if (hasV6) {
          this.error(
            "ip-duplicate-ipv6",
            "Only one IPv6 address per interface is allowed",
            ip.source,
          );
        }
        hasV6 = true;
        if (prefix !== 0 && prefix !== 64) {
          this.error(
            "ipv6-prefix",
            `unsupported IPv6 address prefix='${prefix}' - must be 64`,
            at(ip.source, "prefix"),
          );
        }
      }
    }
  }

  checkRoutes(): void {
    const { iface } = this;
    let hasV4 = false;
    let hasV6 = false;
    for (const route of iface.routes) {
      const a = route.source.attributes;
      // libvirt: networkcommon_conf.c route parsing, newest (address optional).
      if (a.gateway === undefined) {
        this.error(
          "route-gateway-missing",
          "guest interface: Missing required gateway attribute in route definition",
          route.source,
        );
        continue;
      }
      if (a.address !== undefined && !canonicalAddress(a.address.value)) {
        this.error(
          "route-address-invalid",
          `guest interface: Bad network address '${a.address.value}' in route definition`,
          a.address,
        );
        continue;
      }
      const gateway = canonicalAddress(a.gateway.value);
      if (!gateway) {
        this.error(
          "route-gateway-invalid",
          `guest interface: Bad gateway address '${a.gateway.value}' in route definition`,
          a.gateway,
        );
        continue;
      }
      if (!this.typeKnown) continue;
      // libvirt newest: guest routes only with passt, default routes only.
      if (!this.passt) {
        this.error(
          "route-unsupported",
          "Invalid attempt to set network interface guest-side IP route, not supported for this interface type/backend",
          route.source,
        );
        continue;
      }
      const netmask = route.netmask === undefined
        ? undefined
        : canonicalAddress(route.netmask);
      const zeroNetmask = netmask?.text === "0.0.0.0" ||
        netmask?.text === "::";
      if (
        a.address !== undefined || (route.prefix ?? 0) > 0 ||
        (a.netmask !== undefined && !zeroNetmask) || a.metric !== undefined
      ) {
        this.error(
          "route-not-default",
          "<route> elements of an interface using the passt backend must be default routes, with only a gateway specified",
          route.source,
        );
      }
      const v4 = gateway.family === "ipv4";
      if (v4 ? hasV4 : hasV6) {
        this.error(
          "route-duplicate-default",
          `only one ${
            v4 ? "IPv4" : "IPv6"
          } default route can be specified for an interface using the passt backend`,
          route.source,
        );
      }
      if (v4) hasV4 = true;
      else hasV6 = true;
    }
  }

  checkPortForwards(): void {
    for (const forward of this.iface.portForwards) {
      this.checkPortForwardParse(forward);
      if (!this.typeKnown) continue;
      // libvirt 11.1.0+ text.
      if (!this.passt) {
        this.error(
          "portforward-without-passt",
          "The <portForward> element can only be used with the 'passt' backend of interface type='user' or type='vhostuser'",
          forward.source,
        );
        continue;
      }
      this.checkPortForwardPasst(forward);
    }
  }

  checkPortForwardParse(forward: PortForwardDef): void {
    const a = forward.source.attributes;
    // libvirt, in the order it reads the attributes.
    if (a.proto === undefined) {
      this.error(
        "portforward-proto-missing",
        "Missing required attribute 'proto' in element 'portForward'",
        forward.source,
      );
    } else if (forward.proto === undefined) {
      this.error(
        "portforward-proto-invalid",
        `Invalid value for attribute 'proto' in element 'portForward': '${a.proto.value}'.`,
        a.proto,
        meantValue(a.proto.value, PROTOCOLS),
      );
    }
    const badAddress = a.address !== undefined &&
      !canonicalAddress(a.address.value);
    if (badAddress && a.address) {
      this.error(
        "portforward-address-invalid",
        `Invalid address '${a.address.value}' in <portForward>`,
        a.address,
      );
    }
    for (const range of forward.ranges) this.checkRangeParse(range);
    // Without a protocol or with a bad address the forward skips the port
    // checks (checkPorts); a range without `start` is still libvirt's error,
    // reported at once.
    if (forward.proto === undefined || badAddress) {
      for (const range of forward.ranges) {
        const r = range.source.attributes;
        if (r.start === undefined && (r.end || r.to || r.exclude)) {
          this.error(
            "range-requires-start",
            RANGE_REQUIRES_START,
            range.source,
          );
        }
      }
    }
  }

  checkRangeParse(range: RangeDef): void {
    const a = range.source.attributes;
    for (const name of ["start", "end", "to"] as const) {
      const raw = a[name];
      if (raw === undefined || range[name] !== undefined) continue;
      // virXMLPropUInt(..., VIR_XML_PROP_NONZERO): zero has its own message.
      if (UNSIGNED.test(raw.value) && Number(raw.value.trim()) === 0) {
        this.error(
          "range-zero",
          `Invalid value for attribute '${name}' in element 'range': Zero is not permitted`,
          raw,
        );
      } else {
        this.error(
          "range-value-invalid",
          `Invalid value for attribute '${name}' in element 'range': '${raw.value}'. Expected non-negative integer value`,
          raw,
        );
      }
    }
    if (a.exclude !== undefined && range.exclude === undefined) {
      this.error(
        "range-exclude-invalid",
        `Invalid value for attribute 'exclude' in element 'range': '${a.exclude.value}'.`,
        a.exclude,
        meantValue(a.exclude.value, EXCLUDE_VALUES),
      );
    }
  }

  /** passtkit's checks of a port spec that `checkForwards` leaves out. */
  checkPortForwardPasst(forward: PortForwardDef): void {
    if (forward.dev !== undefined) {
      // Length limits of passt's port specs come from checkForwards.
      this.checkIfName(
        forward.dev,
        "<portForward dev>",
        at(forward.source, "dev"),
        false,
      );
    }
    const proto = forward.proto ?? forward.source.attributes.proto?.value ??
      "";
    const strays = forward.source.others ?? [];
    if (forward.ranges.length === 0 && strays.length > 0) {
      // A misspelt <range> turns the forward into "every port".
      const names = [...new Set(strays.map((o) => `<${o.name}>`))];
      this.error(
        "portforward-no-range",
        `The <portForward proto='${proto}'> has no <range> but contains ${
          names.join(", ")
        }, so it would forward every port`,
        forward.source,
        strays.map((o) => meantElement(o.name, ["range"])).find((h) =>
          h !== undefined
        ),
      );
      return;
    }
    // No <range> renders `all`. checkForwards reports the 2023 spec errors
    // (`ADDR/all`, `%dev/…`); what is left costs one socket per port.
    const rejected = this.target === "2023" &&
      (forward.address !== undefined || forward.dev !== undefined);
    // checkForwards' random-port warning for this form is folded in here
    // (2023's `all` includes port 0).
    if (forward.ranges.length === 0 && !rejected) {
      this.warning(
        "port-forward-all",
        `A <portForward proto='${proto}'> without <range> forwards every port, which takes one file descriptor per port (tens of thousands)${
          this.target === "2023"
            ? "; passt 2023 counts port 0 too, for which it binds one random port"
            : ""
        }`,
        forward.source,
      );
    }
  }

  checkMtu(): void {
    const { iface } = this;
    const element = iface.elements.mtu?.[0];
    if (!element) return;
    const size = element.attributes.size;
    // virXPathUInt: an empty value counts as absent, anything unparsable is malformed.
    if (size !== undefined && size.value !== "" && iface.mtu === undefined) {
      this.error("mtu-malformed", "malformed mtu size", size);
      return;
    }
    const mtu = iface.mtu ?? 0;
    if (mtu === 0 || !this.typeKnown) return; // 0 means "not set"
    // libvirt's rule for the MTU of type='user' (the range below is passt's).
    if (iface.type === "user" && !this.passt) {
      this.error(
        "mtu-unsupported",
        "setting MTU on interface type user is not supported yet",
        element,
      );
    } else if (this.passt && (mtu < MTU_MIN || mtu > MTU_MAX)) {
      // passt: --mtu accepts 68..65535.
      this.error(
        "mtu-out-of-range",
        `The MTU '${
          size!.value
        }' is outside passt's range of ${MTU_MIN} to ${MTU_MAX}`,
        size!,
      );
    }
  }

  checkModel(): void {
    const { iface } = this;
    // libvirt 11.x; no model means virtio.
    if (
      iface.type === "vhostuser" && iface.model !== undefined &&
      !VIRTIO_MODELS.has(iface.model)
    ) {
      this.error(
        "vhostuser-model",
        `invalid model for interface of type 'vhostuser': '${iface.model}' - must be 'virtio'`,
        at(iface.elements.model![0]!, "type"),
      );
    }
  }

  checkSharedMemory(): void {
    const { iface, doc } = this;
    // libvirt: since 11.2.0 every vhost-user interface needs shared memory.
    if (iface.type !== "vhostuser") return;
    // libvirt checks the domain once: report it at the first such interface.
    if (iface.index !== this.firstVhostuser) return;
    if (doc.kind === "domain") {
      if (!doc.domain.sharedMemory) {
        this.error(
          "shared-memory-required",
          "'interface' requires shared memory",
          iface.source,
        );
      }
    } else {
      this.warning(
        "shared-memory-unknown",
        `An <interface type='vhostuser'> needs a domain with shared memory (<memoryBacking><access mode='shared'/></memoryBacking>), which this <${doc.kind}> document cannot show`,
        iface.source,
      );
    }
  }

  checkLink(): void {
    const link = this.iface.others.find((o) => o.name === "link");
    const state = link?.source.attributes.state;
    // As libvirt checks it.
    if (state && state.value !== "up" && state.value !== "down") {
      this.error(
        "link-state-invalid",
        `unknown interface link state '${state.value}'`,
        state,
        meantValue(state.value, LINK_STATES),
      );
    }
  }

  /** Warnings for what libvirt silently drops or ignores. */
  checkStructure(): void {
    const { iface } = this;
    this.checkAttributes(iface.source);
    for (const [name, sources] of Object.entries(iface.elements)) {
      const single = SINGLE_ELEMENTS.includes(name);
      sources.forEach((source, i) => {
        if (single && i > 0) {
          this.warning(
            "duplicate-element",
            `The interface has more than one <${name}>; libvirt uses only the first`,
            source,
          );
          return;
        }
        this.checkAttributes(source);
      });
    }
    for (const forward of iface.portForwards) {
      for (const range of forward.ranges) this.checkAttributes(range.source);
    }
    for (const other of iface.others) {
      if (!other.known) {
        this.warning(
          "unknown-element",
          `Unknown element <${other.name}> in <interface>; libvirt silently drops it`,
          other.source,
          meantElement(other.name, KNOWN_INTERFACE_CHILDREN),
        );
      }
    }
    for (const [name, sources] of Object.entries(iface.elements)) {
      // A second <mac>, <backend>, … is ignored as a whole (warned above).
      const used = SINGLE_ELEMENTS.includes(name)
        ? sources.slice(0, 1)
        : sources;
      for (const source of used) this.checkNested(source);
    }
    for (const forward of iface.portForwards) {
      for (const range of forward.ranges) this.checkNested(range.source);
    }
  }

  /** Warnings for child elements libvirt ignores inside a modelled element. */
  checkNested(source: ElementSource): void {
    // libvirt: <source> children mean something for other interface types.
    if (source.name === "source" && !this.passt) return;
    const known = KNOWN_CHILDREN[source.name] ?? [];
    for (const other of source.others ?? []) {
      if (known.includes(other.name)) continue;
      this.warning(
        "unknown-element",
        `Unknown element <${other.name}> in <${source.name}>; libvirt ignores it`,
        other.source,
        nestedHint(other, known),
      );
    }
  }

  checkAttributes(source: ElementSource): void {
    const known = KNOWN_ATTRIBUTES[source.name];
    if (!known) return;
    for (const [name, attribute] of Object.entries(source.attributes)) {
      if (!known.includes(name)) {
        this.warning(
          "unknown-attribute",
          `Unknown attribute '${name}' in element '${source.name}'; libvirt silently ignores it`,
          attribute,
          meantValue(name, known),
        );
      }
    }
  }
}

/** The hint for an element nested where libvirt does not look for it. */
function nestedHint(
  other: RawElement,
  known: readonly string[],
): string | undefined {
  const meant = meantElement(other.name, known);
  if (meant !== undefined) return meant;
  return KNOWN_INTERFACE_CHILDREN.includes(other.name)
    ? `<${other.name}> belongs directly inside <interface>`
    : undefined;
}

// libvirt's own message when a <range> lacks `start`.
const RANGE_REQUIRES_START =
  "The 'range' of a 'portForward' requires 'start' attribute if 'end', 'to', or 'exclude' is specified";

/**
 * Runs the port arithmetic of `@passtkit/ports` over every passt interface of
 * the document at once, so overlaps across interfaces are found too.
 */
function checkPorts(
  doc: XmlDocument,
  target: "2023" | "2026",
  out: Collector,
): void {
  const fed: { interface: number; item: PasstForward }[] = [];
  const forwards: PortForward[] = [];
  const groups: string[] = [];
  for (const entry of passtForwards(doc)) {
    for (const item of entry.forwards) {
      fed.push({ interface: entry.interface, item });
      forwards.push(item.forward);
      // libvirt's alias names the passt process in messages.
      groups.push(entry.alias);
    }
  }
  if (forwards.length === 0) return;
  for (const problem of checkForwards(forwards, { target, groups })) {
    const fedForward = fed[problem.forward];
    if (!fedForward) continue;
    const forward = fedForward.item.def;
    const range = problem.range === undefined
      ? undefined
      : forward.ranges[problem.range];
    let { code, message } = problem;
    // Said by port-forward-all, or portforward-no-range, for the same element.
    if (code === "random-port" && forward.ranges.length === 0) continue;
    if (code === "missing-start" && range) {
      const a = range.source.attributes;
      // An unparsable or zero `start` already has its parse error.
      if (a.start !== undefined) continue;
      if (a.end || a.to || a.exclude) {
        code = "range-requires-start";
        message = RANGE_REQUIRES_START;
      } else {
        // libvirt: an empty <range/> renders as port 0.
        code = "range-empty";
      }
    }
    let where: SourcePosition;
    if (code === "dev-without-address" || code === "dev-name-too-long") {
      // A malformed name already has its own error.
      const dev = forward.dev ?? "";
      if (code === "dev-name-too-long" && ifNameProblem(dev, "", false)) {
        continue;
      }
      where = at(forward.source, "dev");
    } else if (code === "mapped-address") {
      where = at(forward.source, "address");
    } else {
      where = at(range?.source ?? forward.source, problem.attribute);
    }
    out.add(problem.severity, code, message, where, fedForward.interface);
  }
}

/**
 * Lists every problem in a parsed document: libvirt's parse and validation
 * errors (newest libvirt's exact texts, without the `XML error: ` style
 * prefix), and what libvirt lets through but passt refuses or misreads
 * (port arithmetic, interface names, log file, MTU), plus warnings for what
 * libvirt silently drops.
 *
 * Never throws for a bad configuration. Each diagnostic points at the
 * offending attribute, or at the element when no single attribute is at fault,
 * and names the interface it belongs to.
 *
 * @param doc The document from `parse`.
 * @param options Which passt's port rules apply.
 * @returns Every diagnostic, sorted by line, then column.
 *
 * @example A zero port
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse, validate } from "@passtkit/xml";
 *
 * const doc = parse(`<interface type='user'>
 *   <mac address='52:54:00:a8:33:fc'/>
 *   <backend type='passt'/>
 *   <portForward proto='tcp'><range start='0'/></portForward>
 * </interface>`);
 * assert.deepEqual(validate(doc), [{
 *   severity: "error",
 *   code: "range-zero",
 *   message: "Invalid value for attribute 'start' in element 'range': Zero is not permitted",
 *   line: 4,
 *   column: 35,
 *   interface: 0,
 * }]);
 * ```
 *
 * @example Port rules follow the chosen passt
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse, validate } from "@passtkit/xml";
 *
 * const doc = parse(`<interface type='user'>
 *   <mac address='52:54:00:a8:33:fc'/>
 *   <backend type='passt'/>
 *   <portForward proto='tcp' dev='eth0'><range start='80'/></portForward>
 * </interface>`);
 * assert.deepEqual(validate(doc).map((d) => d.code), ["dev-without-address"]);
 * assert.deepEqual(validate(doc, { target: "2026" }), []);
 * ```
 */
export function validate(
  doc: XmlDocument,
  options: ValidateOptions = {},
): Diagnostic[] {
  const target = options.target ?? "2023";
  const out = new Collector();
  const firstVhostuser = doc.interfaces.find((i) => i.type === "vhostuser")
    ?.index;
  for (const iface of doc.interfaces) {
    new InterfaceChecker(iface, doc, target, out, firstVhostuser).run();
  }
  checkNames(doc, out);
  checkPorts(doc, target, out);
  return out.sorted();
}

/**
 * The domain name and the interface aliases, which name passt's socket and
 * PID file: libvirt's own rules (a '/' in the name, an alias used twice) and
 * passtkit's for an alias that cannot be part of a file name.
 */
function checkNames(doc: XmlDocument, out: Collector): void {
  const { name, nameSource } = doc.domain;
  if (name !== undefined && nameSource && name.includes("/")) {
    out.add(
      "error",
      "domain-name-invalid",
      `name ${name} cannot contain '/'`,
      nameSource,
    );
  }
  const aliases = interfaceAliases(doc);
  const counts = new Map<string, number>();
  for (const alias of aliases) counts.set(alias, (counts.get(alias) ?? 0) + 1);
  for (const iface of doc.interfaces) {
    const alias = aliases[iface.index] as string;
    const element = iface.elements.alias?.[0];
    const where = element ? at(element, "name") : iface.source;
    if ((counts.get(alias) ?? 0) > 1) {
      out.add(
        "error",
        "alias-duplicate",
        `non unique alias detected: ${alias}`,
        where,
        iface.index,
      );
    }
    if (servedByPasst(iface) && alias.includes("/")) {
      out.add(
        "error",
        "alias-invalid",
        `The alias '${alias}' cannot be part of a file name`,
        where,
        iface.index,
      );
    }
  }
}
