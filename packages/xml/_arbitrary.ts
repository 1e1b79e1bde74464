// fast-check generators of passt `<interface>` and `<domain>` XML text, for the
// property and fuzz tests only (not exported from mod.ts).
//
// Every generated text comes with what it means, in libvirt's canonical form,
// computed here from the generated values and
// never by the code under test: canonical IPv6 text comes from this file's own
// RFC 5952 writer, not from address.ts.

import fc from "fast-check";
import type { InterfaceDef } from "./model.ts";
import { canonicalAddress } from "./address.ts";

/**
 * The source of every random choice a generator makes.
 *
 * Property tests draw it from a fast-check array of numbers ({@linkcode
 * choices}), so fast-check shrinks a failure towards an array of zeros, that
 * is towards the first option of every choice; the fuzz test and the
 * benchmark use a seeded PRNG ({@linkcode seeded}).
 */
export interface Gen {
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
}

/** A small, fast, seedable PRNG (mulberry32) giving uint32 values. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A generator driven by a seeded PRNG. */
export function seeded(seed: number): Gen {
  const next = mulberry32(seed);
  return { int: (min, max) => min + (next() % (max - min + 1)) };
}

/**
 * A generator that takes its choices from `values` in turn (each reduced
 * modulo the number of options), then from a PRNG seeded by them.
 */
export function choices(values: readonly number[]): Gen {
  let i = 0;
  let rest: Gen | undefined;
  return {
    int(min, max) {
      const v = values[i++];
      if (v !== undefined) return min + (v % (max - min + 1));
      rest ??= seeded(values.reduce((a, b) => (a * 31 + b) >>> 0, 7));
      return rest.int(min, max);
    },
  };
}

/** The fast-check arbitrary property tests feed to {@linkcode choices}. */
export function choiceArbitrary(length = 600): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: 0xffff }), {
    minLength: length,
    maxLength: length,
  });
}

/** A `<range>` as libvirt understands it. */
export interface RangeMeaning {
  readonly start?: number;
  readonly end?: number;
  readonly to?: number;
  readonly exclude?: boolean;
}

/** A `<portForward>` as libvirt understands it. */
export interface PortForwardMeaning {
  readonly proto?: string;
  readonly address?: string;
  readonly dev?: string;
  readonly ranges: readonly RangeMeaning[];
}

/** An `<ip>` as libvirt understands it. */
export interface IpMeaning {
  readonly address?: string;
  readonly family?: string;
  readonly prefix?: number;
  readonly peer?: string;
}

/** A `<route>` as libvirt understands it. */
export interface RouteMeaning {
  readonly gateway?: string;
  readonly family?: string;
  readonly address?: string;
  readonly prefix?: number;
  readonly netmask?: string;
  readonly metric?: number;
}

/** A `<backend>` as libvirt understands it. */
export interface BackendMeaning {
  readonly type?: string;
  readonly tap?: string;
  readonly vhost?: string;
  readonly logFile?: string;
  readonly hostname?: string;
  readonly fqdn?: string;
  /** Only ever set when reading text as written by `format` (which must drop it). */
  readonly upstream?: string;
}

/** What an `<interface>` means: the typed values libvirt would keep. */
export interface InterfaceMeaning {
  readonly type: string;
  /** `<interface>` attributes other than `type`. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly mac?: string;
  /** `<mac>` attributes other than `address`. */
  readonly macAttributes: Readonly<Record<string, string>>;
  /** The host interface passt uses (`<source dev>`, or the seed's `upstream`). */
  readonly dev?: string;
  readonly ips: readonly IpMeaning[];
  readonly routes: readonly RouteMeaning[];
  readonly portForwards: readonly PortForwardMeaning[];
  readonly model?: string;
  readonly backend?: BackendMeaning;
  readonly mtu?: number;
  readonly alias?: string;
  /** Elements kept verbatim, white space collapsed, ordered by name. */
  readonly others: readonly { readonly name: string; readonly xml: string }[];
}

/** A generated `<interface>`: its text and what it means. */
export interface GeneratedInterface {
  readonly xml: string;
  readonly meaning: InterfaceMeaning;
}

/** A generated `<domain>`: its text and the meaning of each interface `format` rewrites. */
export interface GeneratedDomain {
  readonly xml: string;
  /** Meanings of the passt and `type='user'` interfaces, in document order. */
  readonly interfaces: readonly InterfaceMeaning[];
  /** How many interfaces `format` must leave alone (neither passt nor `user`). */
  readonly untouched: number;
}

function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

function byName<T extends { name: string }>(items: readonly T[]): T[] {
  // Array.prototype.sort is stable: same-named elements keep their order.
  return [...items].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
}

/**
 * The meaning of a parsed interface.
 *
 * `"written"` reads the interface as libvirt reads any input: addresses and
 * MACs in canonical form, `upstream` as `<source dev>`, defaults applied.
 * `"canonical"` takes every value exactly as parsed, for text `format` wrote:
 * there, a non-canonical value or a default written out shows as a difference.
 */
export function meaningOf(
  iface: InterfaceDef,
  read: "written" | "canonical",
): InterfaceMeaning {
  const loose = read === "written";
  const passt = iface.backend?.type === "passt";
  const addr = (text: string | undefined) =>
    text !== undefined && loose ? canonicalAddress(text)?.text ?? text : text;
  const attributes = (
    source: InterfaceDef["source"] | undefined,
    skip: string,
  ): Record<string, string> =>
    Object.fromEntries(
      Object.entries(source?.attributes ?? {})
        .filter(([name]) => name !== skip)
        .map(([name, a]) => [name, a.value]),
    );
  const b = iface.backend;
  let backend: BackendMeaning | undefined = b && defined({
    type: loose && (b.type === "default" || b.type === "") ? undefined : b.type,
    tap: b.tap,
    vhost: b.vhost,
    logFile: b.logFile,
    hostname: b.hostname,
    fqdn: b.fqdn,
    upstream: loose ? undefined : b.upstream,
  });
  if (loose && backend && Object.keys(backend).length === 0) {
    backend = undefined;
  }
  return defined({
    type: iface.type,
    attributes: attributes(iface.source, "type"),
    mac: loose ? iface.mac?.toLowerCase() : iface.mac,
    macAttributes: attributes(iface.elements.mac?.[0], "address"),
    dev: loose
      ? passt ? iface.sourceDev ?? b?.upstream : undefined
      : iface.sourceDev,
    ips: iface.ips.map((ip) =>
      defined({
        address: addr(ip.address),
        family: loose
          ? ip.family ??
            (ip.address ? canonicalAddress(ip.address)?.family : undefined)
          : ip.family,
        prefix: loose ? ip.prefix || undefined : ip.prefix,
        peer: addr(ip.peer),
      })
    ),
    routes: iface.routes.map((r) =>
      defined({
        gateway: addr(r.gateway),
        family: r.family,
        address: addr(r.address),
        prefix: r.prefix,
        netmask: r.netmask,
        metric: r.metric,
      })
    ),
    portForwards: iface.portForwards.map((f) =>
      defined({
        proto: f.proto ?? f.source.attributes.proto?.value,
        address: addr(f.address),
        dev: f.dev,
        ranges: f.ranges
          .map((r) =>
            defined({
              start: r.start,
              // libvirt: end and to are only written with a start
              end: loose && !r.start ? undefined : r.end,
              to: loose && !r.start ? undefined : r.to,
              exclude: r.exclude,
            })
          )
          .filter((r) => !loose || Object.keys(r).length > 0),
      })
    ),
    // libvirt: vhost-user with passt defaults to virtio
    model: loose
      ? iface.model ??
        (passt && iface.type === "vhostuser" ? "virtio" : undefined)
      : iface.model,
    backend,
    mtu: loose ? iface.mtu || undefined : iface.mtu,
    alias: iface.alias,
    others: byName(
      iface.others.map((o) => ({
        name: o.name,
        xml: o.xml.replace(/\s+/g, " "),
      })),
    ),
  });
}

// ---------------------------------------------------------------------------
// Small helpers over a Gen.

function int(g: Gen, min: number, max: number): number {
  return g.int(min, max);
}

function bool(g: Gen): boolean {
  return g.int(0, 1) === 1;
}

/** True with probability 1/n (false for a zero choice). */
function oneIn(g: Gen, n: number): boolean {
  return int(g, 0, n - 1) === n - 1;
}

function pick<T>(g: Gen, items: readonly T[]): T {
  return items[int(g, 0, items.length - 1)] as T;
}

function shuffle<T>(g: Gen, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(g, 0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function text(g: Gen, chars: string, min: number, max: number): string {
  const units = [...chars];
  const length = int(g, min, max);
  let out = "";
  for (let i = 0; i < length; i++) out += pick(g, units);
  return out;
}

// ---------------------------------------------------------------------------
// Writing XML in every form a reader must accept.

function escapeValue(g: Gen, value: string, quote: string): string {
  let out = "";
  for (const c of value) {
    if (c === "&") out += pick(g, ["&amp;", "&#38;", "&#x26;"]);
    else if (c === "<") out += pick(g, ["&lt;", "&#60;"]);
    else if (c === ">") out += pick(g, [">", "&gt;"]);
    else if (c === quote) {
      out += quote === "'"
        ? pick(g, ["&apos;", "&#39;"])
        : pick(g, ["&quot;", "&#x22;"]);
    } else if (c === "\t" || c === "\n" || c === "\r") {
      // written raw, a reader would turn them into spaces
      out += `&#${c.codePointAt(0)};`;
    } else if (c.codePointAt(0)! > 0x7f && oneIn(g, 4)) {
      out += `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`;
    } else out += c;
  }
  return out;
}

function attribute(g: Gen, name: string, value: string): string {
  const quote = bool(g) ? "'" : '"';
  const eq = pick(g, ["=", "=", "=", " = ", "\n  =\t"]);
  return `${name}${eq}${quote}${escapeValue(g, value, quote)}${quote}`;
}

const ATTRIBUTE_SEPARATORS = [" ", " ", " ", "  ", "\n        ", "\t"];
const CHILD_SEPARATORS = [
  "\n  ",
  "\n    ",
  "\n      ",
  "",
  " ",
  "\n\t\t",
  "\n",
];

/** An element with its attributes in random order and random quoting and spacing. */
function element(
  g: Gen,
  name: string,
  attributes: readonly (readonly [string, string | undefined])[],
  children: readonly string[] = [],
): string {
  const written = shuffle(
    g,
    attributes.filter((a): a is [string, string] => a[1] !== undefined),
  ).map(([k, v]) => pick(g, ATTRIBUTE_SEPARATORS) + attribute(g, k, v));
  const open = `<${name}${written.join("")}${pick(g, ["", "", " ", "\n"])}`;
  if (children.length === 0) {
    return bool(g) ? `${open}/>` : `${open}></${name}>`;
  }
  const inner = children.map((c) => pick(g, CHILD_SEPARATORS) + c).join("");
  return `${open}>${inner}${pick(g, CHILD_SEPARATORS)}</${name}>`;
}

function comment(g: Gen): string {
  return `<!--${text(g, " abc<>&'\"-é", 0, 12).replace(/-(?=-|$)/g, "_")}-->`;
}

// ---------------------------------------------------------------------------
// Values: written forms and canonical meanings.

/** A number as libvirt's unsigned parser accepts it: leading zeros, `+`, leading blanks. */
function numberText(g: Gen, n: number): string {
  switch (int(g, 0, 7)) {
    case 0:
      return `0${n}`;
    case 1:
      return `+${n}`;
    case 2:
      return ` ${n}`;
    case 3:
      return `00${n}`;
    default:
      return String(n);
  }
}

function hexDigits(g: Gen, n: number, width: number): string {
  const minimal = n.toString(16);
  const padded = minimal.padStart(int(g, minimal.length, width), "0");
  return [...padded].map((c) => bool(g) ? c.toUpperCase() : c).join("");
}

interface Address {
  readonly written: string;
  readonly canonical: string;
  readonly family: "ipv4" | "ipv6";
}

function ipv4(g: Gen): Address {
  const bytes = [
    int(g, 1, 254),
    int(g, 0, 255),
    int(g, 0, 255),
    int(g, 0, 255),
  ];
  const text = bytes.join(".");
  return { written: text, canonical: text, family: "ipv4" };
}

/** RFC 5952: lower case, no leading zeros, the first longest run (≥ 2) of zero groups as `::`. */
export function rfc5952(words: readonly number[]): string {
  let best = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestLength < 2) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${
    hex.slice(best + bestLength).join(":")
  }`;
}

function ipv6(g: Gen): Address {
  if (oneIn(g, 8)) {
    // IPv4-mapped: libvirt writes ::ffff:a.b.c.d
    const v4 = [int(g, 0, 255), int(g, 0, 255), int(g, 0, 255), int(g, 0, 255)];
    const dotted = v4.join(".");
    const ffff = pick(g, ["ffff", "FFFF", "Ffff"]);
    const prefix = pick(g, ["::", "0:0:0:0:0:", "0::0:", "::0:"]);
    const tail = bool(g)
      ? dotted
      : `${hexDigits(g, (v4[0]! << 8) | v4[1]!, 4)}:${
        hexDigits(g, (v4[2]! << 8) | v4[3]!, 4)
      }`;
    return {
      written: `${prefix}${ffff}:${tail}`,
      canonical: `::ffff:${dotted}`,
      family: "ipv6",
    };
  }
  // The first group is never zero: glibc (and so libvirt) writes addresses
  // whose first six groups are zero with a dotted IPv4 tail, unlike RFC 5952.
  const words = [pick(g, [0x2001, 0xfd00, 0xfe80, int(g, 1, 0xffff)])];
  for (let i = 1; i < 8; i++) {
    words.push(bool(g) ? 0 : pick(g, [1, 0xdb8, 0xffff, int(g, 1, 0xffff)]));
  }
  const groups = words.map((w) => hexDigits(g, w, 4));
  let written = groups.join(":");
  if (bool(g)) {
    // compress any run of zero groups, not necessarily the longest
    const zeros = words.flatMap((w, i) => (w === 0 ? [i] : []));
    if (zeros.length > 0) {
      const from = pick(g, zeros);
      let to = from;
      while (to + 1 < 8 && words[to + 1] === 0 && bool(g)) to++;
      written = `${groups.slice(0, from).join(":")}::${
        groups.slice(to + 1).join(":")
      }`;
    }
  } else if (oneIn(g, 4)) {
    // the last 32 bits as a dotted quad
    const [w6, w7] = [words[6]!, words[7]!];
    written = `${groups.slice(0, 6).join(":")}:${w6 >> 8}.${w6 & 255}.${
      w7 >> 8
    }.${w7 & 255}`;
  }
  return { written, canonical: rfc5952(words), family: "ipv6" };
}

function address(g: Gen): Address {
  return bool(g) ? ipv4(g) : ipv6(g);
}

function mac(g: Gen): { written: string; canonical: string } {
  const bytes = [0x52, 0x54, 0, int(g, 0, 255), int(g, 0, 255), int(g, 0, 255)];
  if (bool(g)) bytes[0] = int(g, 0, 127) * 2; // any unicast
  const canonical = bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
  const written = [...canonical]
    .map((c) => (bool(g) ? c.toUpperCase() : c))
    .join("");
  return { written, canonical };
}

const PATH_CHARS = "abcxyz019._- &'\"<>é中😀";
const DNS_CHARS = "abcdefxyz0189-.";
const DEV_CHARS = "abcethlnp0123_.-:";

function logFile(g: Gen): string {
  let path = `/${text(g, PATH_CHARS, 1, 10)}/${text(g, PATH_CHARS, 1, 10)}.log`;
  if (oneIn(g, 10)) path += pick(g, ["\n", "\t", "\r\n"]) + "x";
  return path;
}

function dev(g: Gen): string {
  return pick(g, ["eth0", "eth42", "enp3s0", "br-lan.10"]) +
    (bool(g) ? "" : text(g, DEV_CHARS, 1, 4));
}

// ---------------------------------------------------------------------------
// Interfaces.

function range(g: Gen): { xml: string; meaning: RangeMeaning } {
  const start = int(g, 1, 65535);
  const end = bool(g) ? int(g, start, 65535) : undefined;
  const to = oneIn(g, 3) ? int(g, 1, 65535) : undefined;
  const exclude = oneIn(g, 4) ? bool(g) : undefined;
  return {
    xml: element(g, "range", [
      ["start", numberText(g, start)],
      ["end", end === undefined ? undefined : numberText(g, end)],
      ["to", to === undefined ? undefined : numberText(g, to)],
      ["exclude", exclude === undefined ? undefined : exclude ? "yes" : "no"],
    ]),
    meaning: defined({ start, end, to, exclude }),
  };
}

function portForward(g: Gen): { xml: string; meaning: PortForwardMeaning } {
  const proto = pick(g, ["tcp", "udp"]);
  const addr = bool(g) ? address(g) : undefined;
  const device = oneIn(g, 3) ? dev(g) : undefined;
  const ranges = Array.from({ length: int(g, 0, 4) }, () => range(g));
  const children = ranges.map((r) => r.xml);
  if (children.length > 0 && oneIn(g, 5)) {
    children.splice(int(g, 0, children.length), 0, comment(g));
  }
  return {
    xml: element(g, "portForward", [
      ["proto", proto],
      ["address", addr?.written],
      ["dev", device],
    ], children),
    meaning: defined({
      proto,
      address: addr?.canonical,
      dev: device,
      ranges: ranges.map((r) => r.meaning),
    }),
  };
}

const VERBATIM: readonly { name: string; xml: string }[] = [
  {
    name: "address",
    xml:
      "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>",
  },
  { name: "link", xml: "<link state='up'/>" },
  { name: "driver", xml: `<driver queues="1"/>` },
  { name: "boot", xml: "<boot order='2'/>" },
  { name: "rom", xml: "<rom bar='off'/>" },
  { name: "x-frobnicate", xml: "<x-frobnicate level='3'>on</x-frobnicate>" },
  {
    name: "bandwidth",
    xml:
      "<bandwidth>\n        <inbound average='1000' peak='5000'/>\n      </bandwidth>",
  },
];

/**
 * Generates a valid-looking passt (or `type='user'`) `<interface>`: children
 * and attributes in random order, either quote, odd spacing, numbers with
 * leading zeros or `+`, non-canonical IPv6 and upper-case MACs, the seed's
 * `upstream`, comments, and elements kept verbatim.
 */
export function generateInterface(g: Gen): GeneratedInterface {
  const type = pick(g, ["user", "user", "vhostuser"]);
  // vhost-user without passt is not formatted at all, so it is not generated
  const passt = type === "vhostuser" || !oneIn(g, 5);
  // Each child with what it contributes, so that meanings follow the
  // shuffled document order.
  const children: {
    xml: string;
    ip?: IpMeaning;
    forward?: PortForwardMeaning;
  }[] = [];
  const attributes: Record<string, string> = {};
  if (oneIn(g, 6)) attributes.trustGuestRxFilters = "yes";

  const m = bool(g) ? mac(g) : undefined;
  const macAttributes: Record<string, string> = {};
  if (m && oneIn(g, 6)) macAttributes.type = "static";
  if (m) {
    children.push({
      xml: element(g, "mac", [["address", m.written], [
        "type",
        macAttributes.type,
      ]]),
    });
  }

  // <source dev>, the seed's upstream, or both (then <source dev> wins)
  const sourceDev = oneIn(g, 2) ? dev(g) : undefined;
  const upstream = passt && oneIn(g, 3) ? dev(g) : undefined;
  if (sourceDev !== undefined) {
    if (type === "vhostuser" && oneIn(g, 3)) {
      // libvirt: type/path/mode/<reconnect> are overridden for passt
      children.push({
        xml: element(g, "source", [
          ["type", "unix"],
          ["path", "/run/x.sock"],
          ["mode", "client"],
          ["dev", sourceDev],
        ], [element(g, "reconnect", [["enabled", "yes"]])]),
      });
    } else children.push({ xml: element(g, "source", [["dev", sourceDev]]) });
  }

  for (const family of shuffle(g, ["ipv4", "ipv6"])) {
    if (!bool(g)) continue;
    const a = family === "ipv4" ? ipv4(g) : ipv6(g);
    const prefix = bool(g)
      ? int(g, 0, family === "ipv4" ? 32 : 128)
      : undefined;
    children.push({
      xml: element(g, "ip", [
        ["address", a.written],
        ["family", bool(g) ? family : undefined],
        ["prefix", prefix === undefined ? undefined : numberText(g, prefix)],
      ]),
      ip: defined({
        address: a.canonical,
        family,
        prefix: prefix || undefined,
      }),
    });
  }

  const routes: RouteMeaning[] = [];
  if (oneIn(g, 4)) {
    const gateway = address(g);
    children.push({ xml: element(g, "route", [["gateway", gateway.written]]) });
    routes.push({ gateway: gateway.canonical });
  }

  for (let i = int(g, 0, 3); i > 0; i--) {
    const f = portForward(g);
    children.push({ xml: f.xml, forward: f.meaning });
  }

  let model = oneIn(g, 2)
    ? type === "vhostuser" ? "virtio" : pick(g, ["virtio", "rtl8139", "e1000e"])
    : undefined;
  if (model !== undefined) {
    children.push({ xml: element(g, "model", [["type", model]]) });
  }
  if (passt && type === "vhostuser") model ??= "virtio";

  let backend: BackendMeaning | undefined;
  if (passt) {
    backend = defined({
      type: "passt",
      logFile: bool(g) ? logFile(g) : undefined,
      hostname: oneIn(g, 3) ? text(g, DNS_CHARS, 1, 12) : undefined,
      fqdn: oneIn(g, 3) ? text(g, DNS_CHARS, 1, 20) : undefined,
    });
    children.push({
      xml: element(g, "backend", [
        ["type", "passt"],
        ["logFile", backend.logFile],
        ["hostname", backend.hostname],
        ["fqdn", backend.fqdn],
        ["upstream", upstream],
      ]),
    });
  } else if (bool(g)) {
    children.push({
      xml: element(g, "backend", [["type", pick(g, ["default", ""])]]),
    });
  }

  const mtu = oneIn(g, 3) ? int(g, 68, 65535) : undefined;
  if (mtu !== undefined) {
    children.push({ xml: element(g, "mtu", [["size", numberText(g, mtu)]]) });
  }
  const alias = oneIn(g, 4) ? `ua-${text(g, "abc019", 1, 8)}` : undefined;
  if (alias !== undefined) {
    children.push({ xml: element(g, "alias", [["name", alias]]) });
  }

  const others = VERBATIM.filter(() => oneIn(g, 4));
  children.push(...others.map((o) => ({ xml: o.xml })));

  const ordered = shuffle(g, children);
  if (oneIn(g, 4)) {
    ordered.splice(int(g, 0, ordered.length), 0, { xml: comment(g) });
  }

  return {
    xml: element(g, "interface", [
      ["type", type],
      ...Object.entries(attributes),
    ], ordered.map((c) => c.xml)),
    meaning: defined({
      type,
      attributes,
      mac: m?.canonical,
      macAttributes,
      dev: passt ? sourceDev ?? upstream : undefined,
      ips: ordered.flatMap((c) => (c.ip ? [c.ip] : [])),
      routes,
      portForwards: ordered.flatMap((c) => (c.forward ? [c.forward] : [])),
      model,
      backend,
      mtu,
      alias,
      others: byName(others.map((o) => ({
        name: o.name,
        xml: o.xml.replace(/\s+/g, " "),
      }))),
    }),
  };
}

const FILLERS: readonly string[] = [
  `<emulator>/usr/bin/qemu-system-x86_64</emulator>`,
  `<disk type="file" device="disk">
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/a.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>`,
  `<controller type='usb' index='0' model='none'/>`,
  `<!-- <interface type='user'><backend type='passt'/></interface> -->`,
  `<console type='pty'/>`,
  `<memballoon model='none'/>`,
];

const UNTOUCHED: readonly string[] = [
  `<interface type="network">
      <source network="default"/>
      <model   type="virtio" />
    </interface>`,
  `<interface type='bridge'><source bridge='br0'/><mac address='52:54:00:AA:BB:CC'/></interface>`,
];

/**
 * Generates a `<domain>` whose `<devices>` mixes generated interfaces with
 * other devices, comments and interfaces `format` must not touch, at varied
 * indentation (including an interface on the same line as another element).
 */
export function generateDomain(g: Gen): GeneratedDomain {
  const generated = Array.from(
    { length: int(g, 1, 4) },
    () => generateInterface(g),
  );
  const untouched = UNTOUCHED.filter(() => oneIn(g, 3));
  const fillers = FILLERS.filter(() => bool(g));
  const devices = shuffle(g, [
    ...generated.map((i) => ({ xml: i.xml, meaning: i.meaning })),
    ...untouched.map((xml) => ({ xml, meaning: undefined })),
    ...fillers.map((xml) => ({ xml, meaning: undefined })),
  ]);
  const body = devices
    .map((d) =>
      pick(g, ["\n    ", "\n    ", "\n\t\t", " ", "\r\n    "]) + d.xml
    )
    .join("");
  const head = [
    bool(g) ? `<?xml version='1.0' encoding='UTF-8'?>\n` : "",
    oneIn(g, 3) ? `<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE.\n-->\n` : "",
  ].join("");
  const shared = oneIn(g, 3)
    ? `\n  <memoryBacking>\n    <access mode='shared'/>\n  </memoryBacking>`
    : "";
  const xml = `${head}<domain type='kvm'>
  <name>guest-${int(g, 0, 999)}</name>
  <memory unit='KiB'>1048576</memory>${shared}
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <devices>${body}
  </devices>
</domain>${pick(g, ["", "\n", "\n\n<!-- trailing -->\n"])}`;
  return {
    xml,
    interfaces: devices.flatMap((d) => (d.meaning ? [d.meaning] : [])),
    untouched: untouched.length,
  };
}
