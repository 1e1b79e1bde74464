// IPv6 parsing shared by address.ts and validate.ts. ipaddr.js reads an
// IPv4-compatible address such as `::1.2.3.4` as IPv4-mapped
// (`::ffff:1.2.3.4`), so a dotted tail is turned into two groups first.

import ipaddr from "ipaddr.js";

/** The eight groups of a numeric IPv6 address, or `undefined`. */
export function ipv6Parts(text: string): number[] | undefined {
  let hex = text;
  const tail = /^(.*:)([^:]*\.[^:]*)$/.exec(text);
  if (tail) {
    const v4 = tail[2] as string;
    if (!ipaddr.IPv4.isValidFourPartDecimal(v4)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(v4).octets;
    hex = `${tail[1]}${((a << 8) | b).toString(16)}:${
      ((c << 8) | d).toString(16)
    }`;
  }
  if (hex.includes("%") || !ipaddr.IPv6.isValid(hex)) return undefined;
  return ipaddr.IPv6.parse(hex).parts;
}
