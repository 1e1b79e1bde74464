/**
 * passt's command-line options, for reading a command
 * line back.
 *
 * @module
 */

/** What an option means to the XML. */
export type OptionKind =
  /** Has an XML equivalent. */
  | "config"
  /** Chosen by whoever runs passt (`passtkit args`), not by the XML. */
  | "runtime"
  /** Has no XML equivalent. */
  | "unsupported";

/** One passt option. */
export interface PasstOption {
  /** The long name, without `--`. */
  readonly long: string;
  /** The one-letter short form, if any. */
  readonly short?: string;
  /** Whether it takes a value. */
  readonly value: boolean;
  /** What it means to the XML. */
  readonly kind: OptionKind;
  /** Whether passt 2023 accepts it more than once. */
  readonly repeatable?: boolean;
  /** Why it has no XML equivalent (for `unsupported`), or what it is (for `runtime`). */
  readonly reason?: string;
}

const NO_XML = "libvirt's <interface> XML has no equivalent";
const PASTA = "a pasta (namespace mode) option, not for passt";

function o(
  long: string,
  short: string | undefined,
  value: boolean,
  kind: OptionKind,
  extra: { repeatable?: boolean; reason?: string } = {},
): PasstOption {
  return {
    long,
    ...(short !== undefined ? { short } : {}),
    value,
    kind,
    ...extra,
  };
}

/** Every option of the 2023 and newest passt (and pasta's, to name them). */
export const PASST_OPTIONS: readonly PasstOption[] = [
  // Options libvirt emits.
  o("vhost-user", undefined, false, "config"),
  o("one-off", "1", false, "runtime", {
    reason: "libvirt always passes it; 'passtkit args' does too",
  }),
  o("socket", "s", true, "runtime", {
    reason:
      "the socket path follows from the state directory, domain and alias",
  }),
  o("socket-path", undefined, true, "runtime", {
    reason:
      "the socket path follows from the state directory, domain and alias",
  }),
  o("pid", "P", true, "runtime", {
    reason:
      "the PID file path follows from the state directory, domain and alias",
  }),
  o("foreground", "f", false, "runtime", {
    reason: "a supervisor's choice; libvirt lets passt daemonize",
  }),
  o("mtu", "m", true, "config"),
  o("interface", "i", true, "config"),
  o("log-file", "l", true, "config"),
  o("hostname", "H", true, "config"),
  o("fqdn", undefined, true, "config"),
  o("address", "a", true, "config", { repeatable: true }),
  o("netmask", "n", true, "config"),
  o("gateway", "g", true, "config", { repeatable: true }),
  o("tcp-ports", "t", true, "config", { repeatable: true }),
  o("udp-ports", "u", true, "config", { repeatable: true }),
  // Options with no XML equivalent.
  o("mac-addr", "M", true, "unsupported", {
    reason:
      "it sets passt's own MAC address, not the guest's <mac>; libvirt stopped passing it in 9.7.0",
  }),
  o("debug", "d", false, "unsupported", { reason: NO_XML }),
  o("trace", undefined, false, "unsupported", { reason: NO_XML }),
  o("quiet", "q", false, "unsupported", { reason: NO_XML }),
  o("stderr", "e", false, "unsupported", { reason: NO_XML }),
  o("log-size", undefined, true, "unsupported", { reason: NO_XML }),
  o("runas", undefined, true, "unsupported", {
    reason: "libvirt runs passt as the QEMU user instead",
  }),
  o("help", "h", false, "unsupported", { reason: NO_XML }),
  o("version", undefined, false, "unsupported", { reason: NO_XML }),
  o("fd", "F", true, "unsupported", { reason: NO_XML }),
  o("pcap", "p", true, "unsupported", { reason: NO_XML }),
  o("outbound", "o", true, "unsupported", {
    reason: NO_XML,
    repeatable: true,
  }),
  o("outbound-if4", undefined, true, "unsupported", { reason: NO_XML }),
  o("outbound-if6", undefined, true, "unsupported", { reason: NO_XML }),
  o("dns", "D", true, "unsupported", { reason: NO_XML, repeatable: true }),
  o("search", "S", true, "unsupported", { reason: NO_XML, repeatable: true }),
  o("no-dhcp-dns", undefined, false, "unsupported", { reason: NO_XML }),
  o("no-dhcp-search", undefined, false, "unsupported", { reason: NO_XML }),
  o("dns-forward", undefined, true, "unsupported", {
    reason: NO_XML,
    repeatable: true,
  }),
  o("dns-host", undefined, true, "unsupported", {
    reason: NO_XML,
    repeatable: true,
  }),
  o("no-tcp", undefined, false, "unsupported", { reason: NO_XML }),
  o("no-udp", undefined, false, "unsupported", { reason: NO_XML }),
  o("no-icmp", undefined, false, "unsupported", { reason: NO_XML }),
  o("no-dhcp", undefined, false, "unsupported", { reason: NO_XML }),
  o("no-ndp", undefined, false, "unsupported", { reason: NO_XML }),
  o("no-dhcpv6", undefined, false, "unsupported", { reason: NO_XML }),
  o("no-ra", undefined, false, "unsupported", { reason: NO_XML }),
  o("no-map-gw", undefined, false, "unsupported", { reason: NO_XML }),
  o("map-host-loopback", undefined, true, "unsupported", { reason: NO_XML }),
  o("map-guest-addr", undefined, true, "unsupported", { reason: NO_XML }),
  o("ipv4-only", "4", false, "unsupported", { reason: NO_XML }),
  o("ipv6-only", "6", false, "unsupported", { reason: NO_XML }),
  o("freebind", undefined, false, "unsupported", { reason: NO_XML }),
  o("print-capabilities", undefined, false, "unsupported", { reason: NO_XML }),
  o("repair-path", undefined, true, "unsupported", { reason: NO_XML }),
  o("migrate-exit", undefined, false, "unsupported", { reason: NO_XML }),
  o("migrate-no-linger", undefined, false, "unsupported", { reason: NO_XML }),
  o("stats", undefined, true, "unsupported", { reason: NO_XML }),
  o("conf-path", "c", true, "unsupported", { reason: NO_XML }),
  o("chroot-fallback", undefined, false, "unsupported", { reason: NO_XML }),
  // pasta only.
  o("ns-ifname", "I", true, "unsupported", { reason: PASTA }),
  o("tcp-ns", "T", true, "unsupported", { reason: PASTA, repeatable: true }),
  o("udp-ns", "U", true, "unsupported", { reason: PASTA, repeatable: true }),
  o("userns", undefined, true, "unsupported", { reason: PASTA }),
  o("netns", undefined, true, "unsupported", { reason: PASTA }),
  o("netns-only", undefined, false, "unsupported", { reason: PASTA }),
  o("no-netns-quit", undefined, false, "unsupported", { reason: PASTA }),
  o("config-net", undefined, false, "unsupported", { reason: PASTA }),
  o("ns-mac-addr", undefined, true, "unsupported", { reason: PASTA }),
  o("dhcp-dns", undefined, false, "unsupported", { reason: PASTA }),
  o("dhcp-search", undefined, false, "unsupported", { reason: PASTA }),
  o("no-copy-routes", undefined, false, "unsupported", { reason: PASTA }),
  o("no-copy-addrs", undefined, false, "unsupported", { reason: PASTA }),
  o("no-splice", undefined, false, "unsupported", { reason: PASTA }),
  o("splice-only", undefined, false, "unsupported", { reason: PASTA }),
  o("host-lo-to-ns-lo", undefined, false, "unsupported", { reason: PASTA }),
];

const BY_LONG = new Map(PASST_OPTIONS.map((option) => [option.long, option]));
const BY_SHORT = new Map(
  PASST_OPTIONS.filter((option) => option.short !== undefined).map((
    option,
  ) => [option.short as string, option]),
);

/** Finds a short option by its letter. */
export function shortOption(letter: string): PasstOption | undefined {
  return BY_SHORT.get(letter);
}

/**
 * Finds a long option by name, or by an unambiguous prefix as getopt_long
 * accepts it.
 */
export function longOption(
  name: string,
): PasstOption | { ambiguous: string[] } | undefined {
  const exact = BY_LONG.get(name);
  if (exact) return exact;
  const matches = PASST_OPTIONS.filter((option) =>
    option.long.startsWith(name)
  );
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) return { ambiguous: matches.map((m) => m.long) };
  return undefined;
}
