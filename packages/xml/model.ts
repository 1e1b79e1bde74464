/**
 * The plain-data model of passt-related `<interface>` XML.
 *
 * Every element keeps where it was written (`source`) and the raw text of
 * each of its attributes, so that validation can point at the exact line and
 * column and quote the exact value. Typed fields (numbers, booleans) are set
 * only when the raw text parses; the raw text stays in `source.attributes`.
 *
 * @module
 */

import type {
  PasstTargetOptions,
  PortForward,
  PortRange,
  Protocol,
} from "@passtkit/ports";

export type { PasstTargetOptions, PortForward, PortRange, Protocol };

/** A 1-based line and column in the source text. */
export interface SourcePosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in characters. */
  readonly column: number;
}

/** An attribute as written: its raw (entity-decoded) value and where its name starts. */
export interface AttributeSource extends SourcePosition {
  /** The attribute value, entities decoded. */
  readonly value: string;
}

/** Where an element was written, and its attributes as written. */
export interface ElementSource extends SourcePosition {
  /** The element name. */
  readonly name: string;
  /** Every attribute of the element, known or not, by name. */
  readonly attributes: Readonly<Record<string, AttributeSource>>;
  /** Offset (UTF-16 code units) of the `<` that opens the element. */
  readonly start: number;
  /** Offset just after the element's end tag (or `/>`). */
  readonly end: number;
  /**
   * Child elements passtkit does not model, kept verbatim, in document order
   * (e.g. a misspelt `<rnage>` inside `<portForward>`). Recorded for the
   * children of `<interface>` that passtkit models and for `<range>`; absent
   * when there are none. libvirt ignores them.
   */
  readonly others?: readonly RawElement[];
}

/** A child element passtkit does not model (e.g. `<address>`, `<driver>`), kept verbatim. */
export interface RawElement {
  /** The element name. */
  readonly name: string;
  /** The element's exact source text, from `<` to the end of its end tag. */
  readonly xml: string;
  /** Whether libvirt knows this element inside `<interface>` (unknown ones are dropped by libvirt). */
  readonly known: boolean;
  /** Where it was written. */
  readonly source: ElementSource;
}

/** Guest address family. */
export type IpFamily = "ipv4" | "ipv6";

/** `<ip address family prefix peer>`: an address offered to the guest. */
export interface IpDef {
  /** The address as written (canonical form comes from `format`). */
  readonly address?: string;
  /** `family`, or the family the address parses as. */
  readonly family?: IpFamily;
  /** Prefix length. */
  readonly prefix?: number;
  /** `peer` (not allowed with passt). */
  readonly peer?: string;
  /** Where it was written. */
  readonly source: ElementSource;
}

/** `<route>` on the guest side (newest libvirt: a default route, `gateway` only). */
export interface RouteDef {
  /** The gateway address. */
  readonly gateway?: string;
  /** `family` attribute, if written. */
  readonly family?: string;
  /** Destination `address` (must be absent for passt). */
  readonly address?: string;
  /** Destination `prefix`. */
  readonly prefix?: number;
  /** Destination `netmask`. */
  readonly netmask?: string;
  /** `metric`. */
  readonly metric?: number;
  /** Where it was written. */
  readonly source: ElementSource;
}

/** `<range start end to exclude>` with its source. */
export interface RangeDef extends PortRange {
  /** Where it was written. */
  readonly source: ElementSource;
}

/**
 * `<portForward proto address dev>` with its ranges and source. Child
 * elements other than `<range>` are in `source.others`.
 */
export interface PortForwardDef extends Omit<PortForward, "proto" | "ranges"> {
  /** The protocol; absent or invalid values leave it undefined (see `source`). */
  readonly proto?: Protocol;
  /** The ranges in document order. */
  readonly ranges: readonly RangeDef[];
  /** Where it was written. */
  readonly source: ElementSource;
}

/** `<backend type logFile hostname fqdn tap vhost upstream>`. */
export interface BackendDef {
  /** `passt`, `default`, or whatever was written; absent means default. */
  readonly type?: string;
  /** `logFile` → `--log-file`. */
  readonly logFile?: string;
  /** `hostname` → `--hostname` (libvirt 11.8.0+). */
  readonly hostname?: string;
  /** `fqdn` → `--fqdn` (libvirt 11.8.0+). */
  readonly fqdn?: string;
  /** The seed design's `upstream`, the same as `<source dev>`. */
  readonly upstream?: string;
  /** `tap` (not passt-related, kept). */
  readonly tap?: string;
  /** `vhost` (not passt-related, kept). */
  readonly vhost?: string;
  /** Where it was written. */
  readonly source: ElementSource;
}

/** One `<interface>` and everything passt-related in it. */
export interface InterfaceDef {
  /** The interface `type`: `user`, `vhostuser`, or any other name as written. */
  readonly type: string;
  /** 0-based position among the document's interfaces (libvirt's default alias is `net<index>`). */
  readonly index: number;
  /** `<mac address>`, as written. */
  readonly mac?: string;
  /** `<source dev>`. */
  readonly sourceDev?: string;
  /** Guest addresses, in document order. */
  readonly ips: readonly IpDef[];
  /** Guest routes, in document order. */
  readonly routes: readonly RouteDef[];
  /** Port forwards, in document order. */
  readonly portForwards: readonly PortForwardDef[];
  /** `<model type>`. */
  readonly model?: string;
  /** `<backend>`. */
  readonly backend?: BackendDef;
  /** `<mtu size>`. */
  readonly mtu?: number;
  /** `<alias name>`. */
  readonly alias?: string;
  /** Sources of the modelled child elements, by element name, in document order. */
  readonly elements: Readonly<Record<string, readonly ElementSource[]>>;
  /** Child elements passtkit does not model, kept verbatim, in document order. */
  readonly others: readonly RawElement[];
  /** Where the `<interface>` element was written. */
  readonly source: ElementSource;
}

/** What the document's root element is. */
export type DocumentKind = "domain" | "devices" | "interface";

/** Domain-level facts that passt rules depend on. */
export interface DomainInfo {
  /** `<name>`. */
  readonly name?: string;
  /** Where `<name>` is. */
  readonly nameSource?: SourcePosition;
  /** `<domain id='N'>`, when written. */
  readonly id?: number;
  /** Whether guest memory is shared (`<memoryBacking><access mode='shared'/>` or every NUMA cell `memAccess='shared'`), required by vhost-user. */
  readonly sharedMemory: boolean;
}

/** A parsed XML document: a `<domain>`, a `<devices>` fragment or a bare `<interface>`. */
export interface XmlDocument {
  /** The file name used in messages, if one was given. */
  readonly file?: string;
  /** The exact source text (kept so `format` changes only interface elements). */
  readonly text: string;
  /** The root element kind. */
  readonly kind: DocumentKind;
  /** Domain facts (for `<devices>` and bare `<interface>` documents, defaults). */
  readonly domain: DomainInfo;
  /** Every `<interface>`, in document order. */
  readonly interfaces: readonly InterfaceDef[];
}

/** A problem found by `validate`. */
export interface Diagnostic {
  /** `error` makes the document invalid; `warning` does not. */
  readonly severity: "error" | "warning";
  /** A stable kebab-case identifier, e.g. `range-zero`. */
  readonly code: string;
  /** One sentence; libvirt's exact text where libvirt has one. */
  readonly message: string;
  /**
   * A suggestion kept apart from `message` so that libvirt's texts stay
   * exact, e.g. `did you mean 'tcp'?` for `proto='tpc'`.
   */
  readonly hint?: string;
  /** 1-based line of the offending attribute or element. */
  readonly line: number;
  /** 1-based column of the offending attribute or element. */
  readonly column: number;
  /** Index (in `XmlDocument.interfaces`) of the interface the problem is in, if any. */
  readonly interface?: number;
}
