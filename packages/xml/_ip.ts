// Numeric IP address parsing shared by address.ts and validate.ts. IPv6 goes
// through the WHATWG URL parser built into the runtime (strict, and it writes
// RFC 5952's compressed form), which keeps npm packages off the start-up path.

/** The four octets of a dotted-quad IPv4 address (no leading zeros, as glibc's inet_pton), or `undefined`. */
export function ipv4Octets(text: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map((part) =>
    part.length > 1 && part.startsWith("0") ? NaN : Number(part)
  );
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** RFC 5952 text of a numeric IPv6 address (hex groups only), or `undefined`. */
export function ipv6Compressed(text: string): string | undefined {
  // Only the characters of a numeric address: no zone id, no brackets.
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(":")) return undefined;
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** The eight groups of a numeric IPv6 address, or `undefined`. */
export function ipv6Parts(text: string): number[] | undefined {
  const compressed = ipv6Compressed(text);
  if (compressed === undefined) return undefined;
  const [head = "", tail] = compressed.split("::");
  const groups = (s: string) =>
    s === "" ? [] : s.split(":").map((g) => parseInt(g, 16));
  const front = groups(head);
  if (tail === undefined) return front;
  const back = groups(tail);
  return [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
}
