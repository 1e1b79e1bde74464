/**
 * IP address text as `inet_pton()` reads it, and address overlap.
 *
 * @module
 */

/**
 * Reads a dotted IPv4 address as glibc's `inet_pton()` does (decimal, no
 * leading zeros, four parts), as passt reads the address of a port spec.
 *
 * @param text The address text.
 * @returns The four octets, or `undefined` when `text` is not such an address.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIPv4 } from "@passtkit/ports";
 * assert.deepEqual(parseIPv4("10.0.0.1"), [10, 0, 0, 1]);
 * assert.equal(parseIPv4("010.0.0.1"), undefined);
 * ```
 */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    // glibc's inet_pton: decimal only, no leading zeros, at most 255.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

/**
 * Reads a numeric IPv6 address as `inet_pton()` does, a dotted IPv4 tail
 * included.
 *
 * @param text The address text, without brackets or zone id.
 * @returns The eight 16-bit groups, or `undefined` when `text` is not such an address.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIPv6 } from "@passtkit/ports";
 * assert.deepEqual(parseIPv6("2001:db8::1"), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
 * assert.deepEqual(parseIPv6("::ffff:1.2.3.4"), [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
 * ```
 */
export function parseIPv6(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === "") return [];
    const out: number[] = [];
    const items = part.split(":");
    for (const [i, item] of items.entries()) {
      if (i === items.length - 1 && item.includes(".")) {
        const v4 = parseIPv4(item);
        if (!v4) return undefined;
        out.push(
          ((v4[0] as number) << 8) | (v4[1] as number),
          ((v4[2] as number) << 8) | (v4[3] as number),
        );
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) {
        out.push(parseInt(item, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0] as string);
  if (!head) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const tail = groupsOf(halves[1] as string);
  if (!tail || head.length + tail.length > 7) return undefined;
  return [
    ...head,
    ...new Array(8 - head.length - tail.length).fill(0),
    ...tail,
  ];
}

/** The IPv4 form of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), if it is one. */
export function mappedIPv4(groups: readonly number[]): string | undefined {
  if (groups.slice(0, 5).some((g) => g !== 0) || groups[5] !== 0xffff) {
    return undefined;
  }
  const high = groups[6] as number;
  const low = groups[7] as number;
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/**
 * A comparable key for a listen address: `"*"` for any address (absent,
 * empty, `*`, `0.0.0.0`, `::`), else the address family and its numbers; text
 * that is no address is compared as written.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === "" || address === "*") return "*";
  const bare = address.startsWith("[") && address.endsWith("]")
    ? address.slice(1, -1)
    : address;
  const v4 = parseIPv4(bare);
  if (v4) return v4.every((o) => o === 0) ? "*" : `4:${v4.join(".")}`;
  const v6 = parseIPv6(bare);
  if (v6) {
    if (v6.every((g) => g === 0)) return "*";
    const mapped = mappedIPv4(v6);
    return mapped ? `4:${mapped}` : `6:${v6.join(":")}`;
  }
  return `?:${address}`;
}

/** Whether two listen addresses share any address (the wildcard shares all). */
export function addressesOverlap(
  a: string | undefined,
  b: string | undefined,
): boolean {
  const ka = addressKey(a);
  const kb = addressKey(b);
  return ka === "*" || kb === "*" || ka === kb;
}
