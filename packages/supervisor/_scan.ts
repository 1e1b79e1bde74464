/**
 * Scanning a passt argv the way getopt_long does. Private to the package.
 *
 * @module
 */

/** passt's short options that take a value (2023 and newer). */
export const SHORT_WITH_VALUE = new Set("lsFpPmanMgioDStuHcITU".split(""));

/** Long names of the short options we care about. */
export const SHORT_NAMES: Readonly<Record<string, string>> = {
  f: "foreground",
  s: "socket",
  P: "pid",
  F: "fd",
  "1": "one-off",
  l: "log-file",
};

/** passt's long options that take a value. */
export const LONG_WITH_VALUE = new Set([
  "log-file",
  "log-size",
  "runas",
  "socket",
  "socket-path",
  "fd",
  "pcap",
  "pid",
  "mtu",
  "address",
  "netmask",
  "mac-addr",
  "gateway",
  "interface",
  "outbound",
  "outbound-if4",
  "outbound-if6",
  "dns",
  "search",
  "dns-forward",
  "tcp-ports",
  "udp-ports",
  "map-host-loopback",
  "map-guest-addr",
  "dns-host",
  "hostname",
  "fqdn",
  "repair-path",
  "stats",
  "conf-path",
  "ns-ifname",
  "tcp-ns",
  "udp-ns",
  "userns",
  "netns",
  "ns-mac-addr",
]);

/** One option found in an argv. */
export interface FoundOption {
  /** Long name, e.g. `socket` (for short options without one here, the letter). */
  readonly name: string;
  /** The option as written, without a value: `--socket`, `-s`. */
  readonly spelling: string;
  /** The value, when the option takes one. */
  readonly value: string | undefined;
  /** Index of the token holding the value. */
  readonly valueIndex: number;
  /** Text before the value in that token (`--pid=`, `-fP`), or `""`. */
  readonly valuePrefix: string;
}

/** Scans passt options the way getopt_long does (bundled short flags, `--x=v`). */
export function scanOptions(args: readonly string[]): FoundOption[] {
  const found: FoundOption[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === "--") break;
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      const name = token.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) {
        found.push({
          name,
          spelling: `--${name}`,
          value: token.slice(eq + 1),
          valueIndex: i,
          valuePrefix: token.slice(0, eq + 1),
        });
      } else if (LONG_WITH_VALUE.has(name)) {
        found.push({
          name,
          spelling: `--${name}`,
          value: args[i + 1],
          valueIndex: i + 1,
          valuePrefix: "",
        });
        i++;
      } else {
        found.push({
          name,
          spelling: `--${name}`,
          value: undefined,
          valueIndex: i,
          valuePrefix: "",
        });
      }
    } else if (token.startsWith("-") && token.length > 1) {
      for (let j = 1; j < token.length; j++) {
        const letter = token[j]!;
        const name = SHORT_NAMES[letter] ?? letter;
        if (SHORT_WITH_VALUE.has(letter)) {
          if (j + 1 < token.length) {
            found.push({
              name,
              spelling: `-${letter}`,
              value: token.slice(j + 1),
              valueIndex: i,
              valuePrefix: token.slice(0, j + 1),
            });
          } else {
            found.push({
              name,
              spelling: `-${letter}`,
              value: args[i + 1],
              valueIndex: i + 1,
              valuePrefix: "",
            });
            i++;
          }
          break;
        }
        found.push({
          name,
          spelling: `-${letter}`,
          value: undefined,
          valueIndex: i,
          valuePrefix: "",
        });
      }
    }
  }
  return found;
}
