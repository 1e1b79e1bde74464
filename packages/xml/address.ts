/**
 * IP address parsing and libvirt's canonical textual form.
 *
 * @module
 */

import type { IpFamily } from "./model.ts";
import { ipv4Octets, ipv6Compressed, ipv6Parts } from "./_ip.ts";

/** A parsed IP address: its family and canonical text. */
export interface CanonicalAddress {
  /** `ipv4` or `ipv6`. */
  readonly family: IpFamily;
  /** The canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
  readonly text: string;
}

/**
 * Parses a numeric IPv4 or IPv6 address and returns its canonical form, as
 * libvirt writes it back (IPv6 compressed and lower-cased, IPv4-mapped IPv6
 * as `::ffff:a.b.c.d`). Host names, zone ids and shortened IPv4 forms such as
 * `10.1` are not addresses.
 *
 * @param text The address as written.
 * @returns The family and canonical text, or `undefined` when `text` is not an address.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalAddress } from "@passtkit/xml";
 * assert.deepEqual(canonicalAddress("2001:DB8:0:0::FEED"), { family: "ipv6", text: "2001:db8::feed" });
 * assert.deepEqual(canonicalAddress("10.0.0.1"), { family: "ipv4", text: "10.0.0.1" });
 * assert.equal(canonicalAddress("::102:304")?.text, "::1.2.3.4");
 * assert.equal(canonicalAddress("::1.2.3.4")?.text, "::1.2.3.4");
 * assert.equal(canonicalAddress("::FFFF:10.0.0.1")?.text, "::ffff:10.0.0.1");
 * assert.equal(canonicalAddress("localhost"), undefined);
 * ```
 */
export function canonicalAddress(text: string): CanonicalAddress | undefined {
  const octets = ipv4Octets(text);
  if (octets) return { family: "ipv4", text: octets.join(".") };
  const parts = ipv6Parts(text);
  if (parts === undefined) return undefined;
  const dotted = () =>
    [parts[6]! >> 8, parts[6]! & 0xff, parts[7]! >> 8, parts[7]! & 0xff]
      .join(".");
  // glibc's inet_ntop, which libvirt uses, writes a dotted IPv4 tail for
  // IPv4-mapped addresses and for ones whose first six groups are zero
  // (but not `::` or `::1`, where the zero run is longer).
  if (parts.slice(0, 5).every((p) => p === 0) && parts[5] === 0xffff) {
    return { family: "ipv6", text: `::ffff:${dotted()}` };
  }
  if (parts.slice(0, 6).every((p) => p === 0) && parts[6] !== 0) {
    return { family: "ipv6", text: `::${dotted()}` };
  }
  return { family: "ipv6", text: ipv6Compressed(text) as string };
}
