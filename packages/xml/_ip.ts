// Numeric IP addresses: read as passt reads them (glibc's inet_pton rules, in
// @passtkit/ports), written in RFC 5952's compressed form by the WHATWG URL
// parser built into the runtime.

import { parseIPv4, parseIPv6 } from "@passtkit/ports";

/** The four octets of a dotted-quad IPv4 address, or `undefined`. */
export const ipv4Octets: (text: string) => number[] | undefined = parseIPv4;

/** The eight groups of a numeric IPv6 address, or `undefined`. */
export const ipv6Parts: (text: string) => number[] | undefined = parseIPv6;

/** RFC 5952 text of a numeric IPv6 address (hex groups only), or `undefined`. */
export function ipv6Compressed(text: string): string | undefined {
  if (parseIPv6(text) === undefined) return undefined;
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}
