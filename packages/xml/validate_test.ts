import assert from "node:assert/strict";
import { type Diagnostic, parse, validate } from "@passtkit/xml";

const testdata = new URL("./testdata/", import.meta.url);

interface InterfaceOptions {
  /** `null` leaves the `type` attribute out. */
  readonly type?: string | null;
  /** `null` leaves line 2 empty. */
  readonly mac?: string | null;
  /** The whole `<backend>` element; `null` leaves line 3 empty. */
  readonly backend?: string | null;
}

/**
 * An interface whose line 1 is `<interface>`, line 2 `<mac>`, line 3
 * `<backend>` and whose children start on line 4.
 */
function iface(children: string, options: InterfaceOptions = {}): string {
  const type = options.type === null ? "" : ` type='${options.type ?? "user"}'`;
  const mac = options.mac === null
    ? ""
    : `  <mac address='${options.mac ?? "52:54:00:a8:33:fc"}'/>`;
  const backend = options.backend === null
    ? ""
    : `  ${options.backend ?? "<backend type='passt'/>"}`;
  return `<interface${type}>\n${mac}\n${backend}\n${children}\n</interface>`;
}

/** Wraps interfaces in a `<domain>`; the first interface starts on line 5. */
function domain(interfaces: string, sharedMemory = true): string {
  const memory = sharedMemory
    ? "<memoryBacking><access mode='shared'/></memoryBacking>"
    : "<!-- no shared memory -->";
  return `<domain type='kvm'>\n  <name>vm</name>\n  ${memory}\n  <devices>\n${interfaces}\n  </devices>\n</domain>`;
}

/** A `<portForward>` on line 4 with one `<range>` per line from line 5. */
function forward(
  ranges: readonly string[],
  attributes = "proto='tcp'",
): string {
  const lines = ranges.map((r) => `    <range ${r}/>`);
  return [`  <portForward ${attributes}>`, ...lines, "  </portForward>"].join(
    "\n",
  );
}

function d(
  code: string,
  message: string,
  line: number,
  column: number,
  extra: {
    severity?: "error" | "warning";
    interface?: number;
    hint?: string;
  } = {},
): Diagnostic {
  return {
    severity: extra.severity ?? "error",
    code,
    message,
    ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    line,
    column,
    interface: extra.interface ?? 0,
  };
}

function warning(
  code: string,
  message: string,
  line: number,
  column: number,
  hint?: string,
): Diagnostic {
  return d(code, message, line, column, {
    severity: "warning",
    ...(hint === undefined ? {} : { hint }),
  });
}

interface Row {
  readonly name: string;
  readonly xml: string;
  readonly target?: "2023" | "2026";
  readonly expected: readonly Diagnostic[];
}

const rows: Row[] = [
  // 1. libvirt parse errors.
  {
    name: "<interface> without type",
    xml: iface("", { type: null }),
    expected: [d(
      "interface-type-missing",
      "Missing required attribute 'type' in element 'interface'",
      1,
      1,
    )],
  },
  {
    name: "unknown interface type",
    xml: iface("", { type: "foo" }),
    expected: [d(
      "interface-type-invalid",
      "Invalid value for attribute 'type' in element 'interface': 'foo'.",
      1,
      12,
    )],
  },
  {
    name: "unknown backend type",
    xml: iface("", { backend: "<backend type='foo'/>" }),
    expected: [d(
      "backend-type-invalid",
      "Invalid value for attribute 'type' in element 'backend': 'foo'.",
      3,
      12,
    )],
  },
  {
    name: "zero start",
    xml: iface(forward(["start='0'"])),
    expected: [d(
      "range-zero",
      "Invalid value for attribute 'start' in element 'range': Zero is not permitted",
      5,
      12,
    )],
  },
  {
    name: "zero end",
    xml: iface(forward(["start='10' end='0'"])),
    expected: [d(
      "range-zero",
      "Invalid value for attribute 'end' in element 'range': Zero is not permitted",
      5,
      23,
    )],
  },
  {
    name: "negative start",
    xml: iface(forward(["start='-1'"])),
    expected: [d(
      "range-value-invalid",
      "Invalid value for attribute 'start' in element 'range': '-1'. Expected non-negative integer value",
      5,
      12,
    )],
  },
  {
    name: "hexadecimal to",
    xml: iface(forward(["start='10' to='0x10'"])),
    expected: [d(
      "range-value-invalid",
      "Invalid value for attribute 'to' in element 'range': '0x10'. Expected non-negative integer value",
      5,
      23,
    )],
  },
  {
    name: "bad exclude",
    xml: iface(forward(["start='10' exclude='maybe'"])),
    expected: [d(
      "range-exclude-invalid",
      "Invalid value for attribute 'exclude' in element 'range': 'maybe'.",
      5,
      23,
    )],
  },
  {
    name: "portForward without proto",
    xml: iface(forward(["start='80'"], "address='10.0.0.1'")),
    expected: [d(
      "portforward-proto-missing",
      "Missing required attribute 'proto' in element 'portForward'",
      4,
      3,
    )],
  },
  {
    name: "portForward proto icmp",
    xml: iface(forward(["start='80'"], "proto='icmp'")),
    expected: [d(
      "portforward-proto-invalid",
      "Invalid value for attribute 'proto' in element 'portForward': 'icmp'.",
      4,
      16,
    )],
  },
  {
    name: "portForward bad address",
    xml: iface(forward(["start='80'"], "proto='tcp' address='1.2.3'")),
    expected: [d(
      "portforward-address-invalid",
      "Invalid address '1.2.3' in <portForward>",
      4,
      28,
    )],
  },
  {
    name: "<ip> without address",
    xml: iface("  <ip family='ipv4'/>"),
    expected: [d(
      "ip-address-missing",
      "Missing required address in <ip>",
      4,
      3,
    )],
  },
  {
    name: "<ip> address of the wrong family",
    xml: iface("  <ip address='::1' family='ipv4'/>"),
    expected: [d(
      "ip-address-invalid",
      "Invalid address '::1' in <ip>",
      4,
      7,
    )],
  },
  {
    name: "<ip> IPv4 prefix above 32",
    xml: iface("  <ip address='10.0.0.2' prefix='33'/>"),
    expected: [d(
      "ip-prefix-invalid",
      "Invalid prefix value '33' in <ip>",
      4,
      26,
    )],
  },
  {
    name: "<ip> bad peer",
    xml: iface("  <ip address='10.0.0.2' peer='nope'/>"),
    expected: [d(
      "ip-peer-invalid",
      "Invalid peer 'nope' in <ip>",
      4,
      26,
    )],
  },
  {
    name: "malformed mtu",
    xml: iface("  <mtu size='big'/>"),
    expected: [d("mtu-malformed", "malformed mtu size", 4, 8)],
  },
  {
    name: "route without gateway",
    xml: iface("  <route family='ipv4'/>"),
    expected: [d(
      "route-gateway-missing",
      "guest interface: Missing required gateway attribute in route definition",
      4,
      3,
    )],
  },
  {
    name: "route with a bad gateway",
    xml: iface("  <route gateway='gw'/>"),
    expected: [d(
      "route-gateway-invalid",
      "guest interface: Bad gateway address 'gw' in route definition",
      4,
      10,
    )],
  },
  {
    name: "route with a bad address",
    xml: iface("  <route address='x' gateway='10.0.0.1'/>"),
    expected: [d(
      "route-address-invalid",
      "guest interface: Bad network address 'x' in route definition",
      4,
      10,
    )],
  },
  {
    name: "unparsable mac",
    xml: iface("", { mac: "52:54:00:zz:33:fc" }),
    expected: [d(
      "mac-invalid",
      "unable to parse mac address '52:54:00:zz:33:fc'",
      2,
      8,
    )],
  },
  {
    name: "multicast mac",
    xml: iface("", { mac: "01:00:5e:00:00:01" }),
    expected: [d(
      "mac-multicast",
      "expected unicast mac address, found multicast '01:00:5e:00:00:01'",
      2,
      8,
    )],
  },
  {
    name: "unknown link state",
    xml: iface("  <link state='sideways'/>"),
    expected: [d(
      "link-state-invalid",
      "unknown interface link state 'sideways'",
      4,
      9,
    )],
  },
  {
    name: "vhostuser source of type tcp",
    // The rule under test; passt 2023 also warns (see "passt-option-too-new").
    target: "2026",
    xml: domain(iface("  <source type='tcp'/>", { type: "vhostuser" })),
    expected: [d(
      "vhostuser-source-type",
      "Type='tcp' unsupported for <interface type='vhostuser'>",
      8,
      11,
    )],
  },
  {
    name: "vhostuser without passt and without <source path>",
    xml: domain(
      iface("  <source type='unix' mode='client'/>", {
        type: "vhostuser",
        backend: null,
      }),
    ),
    expected: [d(
      "vhostuser-source-path-missing",
      "Missing required attribute 'path' in element 'source'",
      8,
      3,
    )],
  },
  {
    name: "vhostuser without passt and without <source>",
    xml: domain(iface("", { type: "vhostuser", backend: null })),
    expected: [d(
      "vhostuser-source-path-missing",
      "Missing required attribute 'path' in element 'source'",
      5,
      1,
    )],
  },

  // 2. Conf and QEMU validation (domain_validate.c, qemu_validate.c), newest texts.
  {
    name: "vhostuser server socket with <reconnect>",
    xml: domain(
      iface(
        "  <source type='unix' path='/tmp/vu.sock' mode='server'>\n    <reconnect enabled='yes' timeout='5'/>\n  </source>",
        { type: "vhostuser", backend: null },
      ),
    ),
    expected: [d(
      "vhostuser-reconnect-server",
      "'reconnect' attribute is not supported when source mode='server' for <interface type='vhostuser'>",
      9,
      5,
    )],
  },
  {
    name: "vhostuser client socket with <reconnect>",
    xml: domain(
      iface(
        "  <source type='unix' path='/tmp/vu.sock' mode='client'>\n    <reconnect enabled='yes' timeout='5'/>\n  </source>",
        { type: "vhostuser", backend: null },
      ),
    ),
    expected: [],
  },
  {
    name: "passt backend on a bridge",
    xml: iface("", { type: "bridge" }),
    expected: [d(
      "passt-backend-type",
      "The 'passt' backend can only be used with interface type='user' or type='vhostuser'",
      3,
      12,
    )],
  },
  {
    name: "portForward without passt",
    xml: iface(forward(["start='80'"]), { backend: null }),
    expected: [d(
      "portforward-without-passt",
      "The <portForward> element can only be used with the 'passt' backend of interface type='user' or type='vhostuser'",
      4,
      3,
    )],
  },
  {
    name: "range with end but no start",
    xml: iface(forward(["end='10'"])),
    expected: [d(
      "range-requires-start",
      "The 'range' of a 'portForward' requires 'start' attribute if 'end', 'to', or 'exclude' is specified",
      5,
      5,
    )],
  },
  {
    name: "range with an unparsable end and no start",
    xml: iface(forward(["end='abc'"])),
    expected: [
      d(
        "range-requires-start",
        "The 'range' of a 'portForward' requires 'start' attribute if 'end', 'to', or 'exclude' is specified",
        5,
        5,
      ),
      d(
        "range-value-invalid",
        "Invalid value for attribute 'end' in element 'range': 'abc'. Expected non-negative integer value",
        5,
        12,
      ),
    ],
  },
  {
    name: "empty range",
    xml: iface(forward([""])),
    expected: [d(
      "range-empty",
      "a tcp <range> without 'start' is passed to passt as port 0, which passt 2023 binds as a random port",
      5,
      5,
    )],
  },
  {
    name: "peer address",
    xml: iface("  <ip address='10.0.0.2' peer='10.0.0.1'/>"),
    expected: [d(
      "ip-peer",
      "Invalid attempt to set peer IP for guest",
      4,
      26,
    )],
  },
  {
    name: "second IPv4 address",
    xml: iface("  <ip address='10.0.0.2'/>\n  <ip address='10.0.0.3'/>"),
    expected: [d(
      "ip-duplicate-ipv4",
      "Only one IPv4 address per interface is allowed",
      5,
      3,
    )],
  },
  {
    name: "second IPv6 address",
    xml: iface(
      "  <ip address='2001:db8::2'/>\n  <ip address='2001:db8::3'/>",
    ),
    expected: [d(
      "ip-duplicate-ipv6",
      "Only one IPv6 address per interface is allowed",
      5,
      3,
    )],
  },
  {
    name: "IPv4 prefix 28 without passt",
    xml: iface("  <ip address='10.0.0.2' prefix='28'/>", { backend: null }),
    expected: [d(
      "ip-prefix-range",
      "invalid prefix, must be in range of 4-27",
      4,
      26,
    )],
  },
  {
    name: "IPv6 prefix 56",
    xml: iface("  <ip address='2001:db8::2' prefix='56'/>"),
    expected: [d(
      "ipv6-prefix",
      "unsupported IPv6 address prefix='56' - must be 64",
      4,
      29,
    )],
  },
  {
    name: "guest <ip> on a bridge",
    xml: iface("  <ip address='10.0.0.2'/>", { type: "bridge", backend: null }),
    expected: [d(
      "ip-unsupported",
      "Invalid attempt to set network interface guest-side IP address info, not supported for this interface type/backend",
      4,
      3,
    )],
  },
  {
    name: "route without passt",
    xml: iface("  <route gateway='10.0.0.1'/>", { backend: null }),
    expected: [d(
      "route-unsupported",
      "Invalid attempt to set network interface guest-side IP route, not supported for this interface type/backend",
      4,
      3,
    )],
  },
  {
    name: "passt route with an address",
    xml: iface("  <route address='0.0.0.0' prefix='0' gateway='10.0.0.1'/>"),
    expected: [d(
      "route-not-default",
      "<route> elements of an interface using the passt backend must be default routes, with only a gateway specified",
      4,
      3,
    )],
  },
  {
    name: "second IPv4 default route",
    xml: iface(
      "  <route gateway='10.0.0.1'/>\n  <route gateway='10.0.0.2'/>",
    ),
    expected: [d(
      "route-duplicate-default",
      "only one IPv4 default route can be specified for an interface using the passt backend",
      5,
      3,
    )],
  },
  {
    name: "MTU on user without passt",
    xml: iface("  <mtu size='1500'/>", { backend: null }),
    expected: [d(
      "mtu-unsupported",
      "setting MTU on interface type user is not supported yet",
      4,
      3,
    )],
  },
  {
    name: "vhostuser without shared memory",
    // The rule under test; passt 2023 also warns (see "passt-option-too-new").
    target: "2026",
    xml: domain(iface("", { type: "vhostuser" }), false),
    expected: [d(
      "shared-memory-required",
      "'interface' requires shared memory",
      5,
      1,
    )],
  },
  {
    name: "vhostuser in a bare <interface>",
    // The rule under test; passt 2023 also warns (see "passt-option-too-new").
    target: "2026",
    xml: iface("", { type: "vhostuser" }),
    expected: [warning(
      "shared-memory-unknown",
      "An <interface type='vhostuser'> needs a domain with shared memory (<memoryBacking><access mode='shared'/></memoryBacking>), which this <interface> document cannot show",
      1,
      1,
    )],
  },
  {
    name: "vhostuser with an e1000 model",
    // The rule under test; passt 2023 also warns (see "passt-option-too-new").
    target: "2026",
    xml: domain(iface("  <model type='e1000'/>", { type: "vhostuser" })),
    expected: [d(
      "vhostuser-model",
      "invalid model for interface of type 'vhostuser': 'e1000' - must be 'virtio'",
      8,
      10,
    )],
  },

  // 3. What libvirt lets through and passt refuses (passtkit's own rules).
  {
    name: "port above 65535",
    xml: iface(forward(["start='70000'"])),
    expected: [d(
      "port-too-large",
      "tcp start port 70000 is above 65535, the highest port",
      5,
      12,
    )],
  },
  {
    name: "end before start",
    xml: iface(forward(["start='100' end='90'"])),
    expected: [d(
      "end-before-start",
      "tcp range 100-90 ends before it starts",
      5,
      24,
    )],
  },
  {
    name: "exclusion with to",
    xml: iface(forward(["start='100' to='200' exclude='yes'"])),
    expected: [d(
      "exclude-with-to",
      "the tcp exclusion 100 has to='200', which passt rejects as an invalid port specifier",
      5,
      24,
    )],
  },
  {
    name: "mapping past 65535",
    xml: iface(forward(["start='65000' end='65100' to='65500'"])),
    expected: [d(
      "mapping-overflow",
      "tcp ports 65000-65100 mapped to 65500 would reach guest port 65600, above 65535",
      5,
      38,
    )],
  },
  {
    name: "port forwarded twice in one portForward",
    xml: iface(forward(["start='80' end='90'", "start='85'"])),
    expected: [d(
      "overlap",
      "tcp port 85 overlaps ports 80-90 of another range in the same <portForward>",
      6,
      5,
    )],
  },
  {
    name: "port forwarded by two portForwards on different addresses (2023)",
    xml: iface(
      forward(["start='80'"], "proto='tcp' address='10.0.0.1'") + "\n" +
        forward(["start='80'"], "proto='tcp' address='10.0.0.2'"),
    ),
    expected: [d(
      "overlap-across-forwards",
      `tcp port 80 on 10.0.0.2 is also forwarded by another <portForward> on 10.0.0.1; passt 2023 rejects a port given in two -t options even on different addresses ("Overlapping port specifier")`,
      8,
      5,
    )],
  },
  {
    name: "port forwarded by two interfaces",
    xml: domain(
      iface(forward(["start='80'"])) + "\n" + iface(forward(["start='80'"])),
    ),
    expected: [d(
      "overlap-across-interfaces",
      `tcp port 80 on any address is also forwarded by interface 'net0' on any address; the kernel refuses the second passt's bind ("Address already in use")`,
      16,
      5,
      { interface: 1 },
    )],
  },
  {
    name: "relative logFile",
    xml: iface("", { backend: "<backend type='passt' logFile='passt.log'/>" }),
    expected: [d(
      "log-file-not-absolute",
      "The logFile 'passt.log' is not an absolute path",
      3,
      25,
    )],
  },
  {
    name: "empty logFile",
    xml: iface("", { backend: "<backend type='passt' logFile=''/>" }),
    expected: [d(
      "log-file-not-absolute",
      "The logFile '' is not an absolute path",
      3,
      25,
    )],
  },
  {
    name: "hostname with an underscore",
    // The rule under test; passt 2023 also warns (see "passt-option-too-new").
    target: "2026",
    xml: iface("", { backend: "<backend type='passt' hostname='my_host'/>" }),
    expected: [d(
      "hostname-invalid",
      "The hostname 'my_host' is not a DNS name: only letters, digits, '.' and '-' are allowed",
      3,
      25,
    )],
  },
  {
    name: "hostname and fqdn: passt 2023 lacks --hostname and --fqdn",
    xml: iface("", {
      backend: "<backend type='passt' hostname='vm' fqdn='vm.test'/>",
    }),
    expected: [
      warning(
        "passt-option-too-new",
        "<backend hostname> makes passt run with --hostname, which passt 2023 (Debian 12's) lacks and refuses to start with; it was added in passt 2025_02_17 (validate with --target 2026 for a newer passt)",
        3,
        25,
      ),
      warning(
        "passt-option-too-new",
        "<backend fqdn> makes passt run with --fqdn, which passt 2023 (Debian 12's) lacks and refuses to start with; it was added in passt 2025_02_17 (validate with --target 2026 for a newer passt)",
        3,
        39,
      ),
    ],
  },
  {
    name: "hostname and fqdn for passt 2026",
    target: "2026",
    xml: iface("", {
      backend: "<backend type='passt' hostname='vm' fqdn='vm.test'/>",
    }),
    expected: [],
  },
  {
    name: "vhostuser: passt 2023 lacks --vhost-user",
    xml: domain(iface("  <source dev='eth0'/>", { type: "vhostuser" })),
    expected: [warning(
      "passt-option-too-new",
      "<interface type='vhostuser'> makes passt run with --vhost-user, which passt 2023 (Debian 12's) lacks and refuses to start with; it was added in passt 2024_12_11 (validate with --target 2026 for a newer passt)",
      5,
      12,
    )],
  },
  {
    name: "vhostuser without the passt backend: no passt, no warning",
    xml: domain(
      iface("  <source type='unix' path='/run/vhost.sock' mode='client'/>", {
        type: "vhostuser",
        backend: null,
      }),
    ),
    expected: [],
  },
  {
    name: "fqdn with a space",
    // The rule under test; passt 2023 also warns (see "passt-option-too-new").
    target: "2026",
    xml: iface("", { backend: "<backend type='passt' fqdn='a b.test'/>" }),
    expected: [d(
      "fqdn-invalid",
      "The fqdn 'a b.test' is not a DNS name: only letters, digits, '.' and '-' are allowed",
      3,
      25,
    )],
  },
  {
    name: "empty source dev",
    xml: iface("  <source dev=''/>"),
    expected: [d(
      "interface-name-empty",
      "The host interface name in <source dev> is empty",
      4,
      11,
    )],
  },
  {
    name: "source dev longer than 15 bytes",
    xml: iface("  <source dev='abcdefghijklmnop'/>"),
    expected: [d(
      "interface-name-too-long",
      "The interface name 'abcdefghijklmnop' in <source dev> is 16 bytes long; Linux allows at most 15",
      4,
      11,
    )],
  },
  {
    name: "source dev with a colon",
    xml: iface("  <source dev='eth0:1'/>"),
    expected: [d(
      "interface-name-invalid",
      "'eth0:1' in <source dev> is not a valid Linux interface name",
      4,
      11,
    )],
  },
  {
    name: "upstream '..'",
    xml: iface("", { backend: "<backend type='passt' upstream='..'/>" }),
    expected: [
      d(
        "interface-name-invalid",
        "'..' in <backend upstream> is not a valid Linux interface name",
        3,
        25,
      ),
      warning(
        "upstream-ignored",
        "Released libvirt ignores <backend upstream='..'>; passtkit treats it as <source dev='..'/>",
        3,
        25,
      ),
    ],
  },
  {
    name: "portForward dev with a space",
    xml: iface(
      forward(["start='80'"], "proto='tcp' address='10.0.0.1' dev='eth 0'"),
    ),
    expected: [d(
      "interface-name-invalid",
      "'eth 0' in <portForward dev> is not a valid Linux interface name",
      4,
      47,
    )],
  },
  {
    name: "portForward dev of 13 characters (2023)",
    xml: iface(
      forward(
        ["start='80'"],
        "proto='tcp' address='10.0.0.1' dev='abcdefghijklm'",
      ),
    ),
    expected: [d(
      "dev-name-too-long",
      "interface name 'abcdefghijklm' is too long for passt 2023 (at most 12 characters)",
      4,
      47,
    )],
  },
  {
    name: "portForward dev without address (2023)",
    xml: iface(forward(["start='80'"], "proto='tcp' dev='eth0'")),
    expected: [d(
      "dev-without-address",
      "the tcp <portForward> has dev='eth0' without an address, which passt 2023 rejects ('%eth0/…' is an invalid port specifier)",
      4,
      28,
    )],
  },
  {
    name: "upstream and a different source dev",
    xml: iface("  <source dev='eth1'/>", {
      backend: "<backend type='passt' upstream='eth0'/>",
    }),
    expected: [d(
      "upstream-conflict",
      "<backend upstream='eth0'> and <source dev='eth1'> name different host interfaces, but both set passt's --interface",
      3,
      25,
    )],
  },
  {
    name: "upstream alone",
    xml: iface("", { backend: "<backend type='passt' upstream='eth0'/>" }),
    expected: [warning(
      "upstream-ignored",
      "Released libvirt ignores <backend upstream='eth0'>; passtkit treats it as <source dev='eth0'/>",
      3,
      25,
    )],
  },
  {
    name: "MTU above 65535",
    xml: iface("  <mtu size='65536'/>"),
    expected: [d(
      "mtu-out-of-range",
      "The MTU '65536' is outside passt's range of 68 to 65535",
      4,
      8,
    )],
  },
  {
    name: "MTU below 68",
    xml: iface("  <mtu size='67'/>"),
    expected: [d(
      "mtu-out-of-range",
      "The MTU '67' is outside passt's range of 68 to 65535",
      4,
      8,
    )],
  },
  {
    name: "portForward without ranges on an address (2023)",
    xml: iface("  <portForward proto='tcp' address='10.0.0.1'/>"),
    expected: [d(
      "all-with-address",
      "a tcp <portForward> without ranges on 10.0.0.1 becomes '10.0.0.1/all', which passt 2023 rejects as an invalid port specifier",
      4,
      3,
    )],
  },
  {
    name: "portForward without ranges on an address (2026)",
    xml: iface("  <portForward proto='tcp' address='10.0.0.1'/>"),
    target: "2026",
    expected: [warning(
      "port-forward-all",
      "A <portForward proto='tcp'> without <range> forwards every port, which takes one file descriptor per port (tens of thousands)",
      4,
      3,
    )],
  },
  {
    name: "portForward without ranges or address",
    xml: iface("  <portForward proto='udp'/>"),
    expected: [warning(
      "port-forward-all",
      "A <portForward proto='udp'> without <range> forwards every port, which takes one file descriptor per port (tens of thousands); passt 2023 counts port 0 too, for which it binds one random port",
      4,
      3,
    )],
  },
  {
    name: "portForward whose spec passt 2023 would cut",
    xml: iface(
      forward(
        Array.from({ length: 1400 }, (_, i) => `start='${20000 + 2 * i}'`),
      ),
    ),
    expected: [d(
      "spec-too-long",
      "the tcp spec is 8399 characters long; passt 2023 silently cuts it at 8191 characters, so later ranges are lost — split it into several <portForward> elements",
      4,
      3,
    )],
  },
  {
    name: "portForward without ranges or address (2026)",
    xml: iface("  <portForward proto='udp'/>"),
    target: "2026",
    expected: [warning(
      "port-forward-all",
      "A <portForward proto='udp'> without <range> forwards every port, which takes one file descriptor per port (tens of thousands)",
      4,
      3,
    )],
  },

  // 4. Warnings for what libvirt silently drops.
  {
    name: "unknown attribute on <range>",
    xml: iface(forward(["start='80' foo='1'"])),
    expected: [warning(
      "unknown-attribute",
      "Unknown attribute 'foo' in element 'range'; libvirt silently ignores it",
      5,
      23,
    )],
  },
  {
    name: "unknown attribute on <backend>",
    xml: iface("", { backend: "<backend type='passt' colour='blue'/>" }),
    expected: [warning(
      "unknown-attribute",
      "Unknown attribute 'colour' in element 'backend'; libvirt silently ignores it",
      3,
      25,
    )],
  },
  {
    name: "unknown child element",
    xml: iface("  <bogus/>"),
    expected: [warning(
      "unknown-element",
      "Unknown element <bogus> in <interface>; libvirt silently drops it",
      4,
      3,
    )],
  },
  ...[
    ["mac", "  <mac address='52:54:00:00:00:01'/>", 4],
    ["backend", "  <backend type='passt' logFile='/tmp/x.log'/>", 4],
    ["model", "  <model type='virtio'/>\n  <model type='e1000'/>", 5],
    ["mtu", "  <mtu size='1500'/>\n  <mtu size='9000'/>", 5],
    ["source", "  <source dev='eth0'/>\n  <source dev='eth1'/>", 5],
    ["alias", "  <alias name='ua-a'/>\n  <alias name='ua-b'/>", 5],
  ].map(([name, children, line]): Row => ({
    name: `second <${name}>`,
    xml: iface(children as string),
    expected: [warning(
      "duplicate-element",
      `The interface has more than one <${name}>; libvirt uses only the first`,
      line as number,
      3,
    )],
  })),
  {
    name: "passt without <mac>",
    xml: iface("", { mac: null }),
    expected: [warning(
      "mac-missing",
      "The interface has no <mac address>; libvirt generates a random one",
      1,
      1,
    )],
  },

  // 5. Children that libvirt ignores, and typos.
  {
    name: "misspelt <range> in a <portForward> without ranges",
    xml: iface(
      "  <portForward proto='tcp'>\n    <rnage start='2022' to='22'/>\n  </portForward>",
    ),
    expected: [
      d(
        "portforward-no-range",
        "The <portForward proto='tcp'> has no <range> but contains <rnage>, so it would forward every port",
        4,
        3,
        { hint: "did you mean <range>?" },
      ),
      warning(
        "unknown-element",
        "Unknown element <rnage> in <portForward>; libvirt ignores it",
        5,
        5,
        "did you mean <range>?",
      ),
    ],
  },
  {
    name: "unknown element next to a <range>",
    xml: iface(
      "  <portForward proto='udp'>\n    <range start='53'/>\n    <note/>\n  </portForward>",
    ),
    expected: [warning(
      "unknown-element",
      "Unknown element <note> in <portForward>; libvirt ignores it",
      6,
      5,
    )],
  },
  {
    name: "<portForward> nested in <backend>",
    xml: iface("", {
      backend: "<backend type='passt'><portForward proto='tcp'/></backend>",
    }),
    expected: [warning(
      "unknown-element",
      "Unknown element <portForward> in <backend>; libvirt ignores it",
      3,
      25,
      "<portForward> belongs directly inside <interface>",
    )],
  },
  ...[
    ["ip", "  <ip address='10.0.0.2'><x/></ip>", 26],
    ["mac", "  <mac address='52:54:00:00:00:02'><x/></mac>", 36],
    ["model", "  <model type='virtio'><x/></model>", 24],
    ["mtu", "  <mtu size='1500'><x/></mtu>", 20],
    ["alias", "  <alias name='ua-a'><x/></alias>", 22],
    ["route", "  <route gateway='10.0.0.1'><x/></route>", 29],
    ["source", "  <source dev='eth0'><x/></source>", 22],
  ].map(([name, children, column]): Row => ({
    name: `unknown element inside <${name}>`,
    xml: iface(children as string, { mac: name === "mac" ? null : undefined }),
    expected: [warning(
      "unknown-element",
      `Unknown element <x> in <${name}>; libvirt ignores it`,
      4,
      column as number,
    )],
  })),
  {
    name: "unknown element inside <range>",
    xml: iface(
      "  <portForward proto='tcp'>\n    <range start='80'><x/></range>\n  </portForward>",
    ),
    expected: [warning(
      "unknown-element",
      "Unknown element <x> in <range>; libvirt ignores it",
      5,
      23,
    )],
  },
  {
    name: "<source> children of a non-passt interface are not checked",
    xml: iface("  <source network='default'><x/></source>", {
      type: "network",
      backend: null,
    }),
    expected: [],
  },
  {
    name: "host-side <ip> inside a passt <source>",
    xml: iface("  <source dev='eth0'><ip address='10.0.0.9'/></source>"),
    expected: [d(
      "source-ip-unsupported",
      "Invalid attempt to set network interface host-side IP route and/or address info on interface of type 'user'. This is only supported on interfaces of type 'ethernet'",
      4,
      22,
    )],
  },
  {
    name: "misspelt element name",
    xml: iface("  <portForwards proto='tcp'/>\n  <backnd type='passt'/>"),
    expected: [
      warning(
        "unknown-element",
        "Unknown element <portForwards> in <interface>; libvirt silently drops it",
        4,
        3,
        "did you mean <portForward>?",
      ),
      warning(
        "unknown-element",
        "Unknown element <backnd> in <interface>; libvirt silently drops it",
        5,
        3,
        "did you mean <backend>?",
      ),
    ],
  },
  {
    name: "misspelt attribute name",
    xml: iface("", { backend: "<backend type='passt' logfile='/tmp/l'/>" }),
    expected: [warning(
      "unknown-attribute",
      "Unknown attribute 'logfile' in element 'backend'; libvirt silently ignores it",
      3,
      25,
      "did you mean 'logFile'?",
    )],
  },
  {
    name: "misspelt proto",
    xml: iface(forward(["start='80'"], "proto='tpc'")),
    expected: [d(
      "portforward-proto-invalid",
      "Invalid value for attribute 'proto' in element 'portForward': 'tpc'.",
      4,
      16,
      { hint: "did you mean 'tcp'?" },
    )],
  },
  {
    name: "upper-case proto",
    xml: iface(forward(["start='80'"], "proto='UDP'")),
    expected: [d(
      "portforward-proto-invalid",
      "Invalid value for attribute 'proto' in element 'portForward': 'UDP'.",
      4,
      16,
      { hint: "did you mean 'udp'?" },
    )],
  },
  {
    name: "misspelt backend type",
    xml: iface("", { backend: "<backend type='pasta'/>" }),
    expected: [d(
      "backend-type-invalid",
      "Invalid value for attribute 'type' in element 'backend': 'pasta'.",
      3,
      12,
      { hint: "did you mean 'passt'?" },
    )],
  },
  {
    name: "misspelt exclude",
    xml: iface(forward(["start='10' exclude='ys'"])),
    expected: [d(
      "range-exclude-invalid",
      "Invalid value for attribute 'exclude' in element 'range': 'ys'.",
      5,
      23,
      { hint: "did you mean 'yes'?" },
    )],
  },
  {
    name: "misspelt interface type",
    xml: iface("", { type: "usr" }),
    expected: [d(
      "interface-type-invalid",
      "Invalid value for attribute 'type' in element 'interface': 'usr'.",
      1,
      12,
      { hint: "did you mean 'user'?" },
    )],
  },
  {
    name: "unknown address family",
    xml: iface("  <ip address='10.0.0.2' family='ipv5'/>"),
    expected: [d(
      "ip-family-unknown",
      "libvirt ignores <ip family='ipv5'> and takes the family from the address '10.0.0.2'",
      4,
      26,
      { severity: "warning", hint: "did you mean 'ipv4'?" },
    )],
  },
  {
    name: "address family inet",
    xml: iface("  <ip address='2001:db8::2' family='inet'/>"),
    expected: [d(
      "ip-family-unknown",
      "libvirt ignores <ip family='inet'> and takes the family from the address '2001:db8::2'",
      4,
      29,
      { severity: "warning" },
    )],
  },
  {
    name: "known address family that does not fit the address",
    xml: iface("  <ip address='10.0.0.2' family='ipv6'/>"),
    expected: [d(
      "ip-address-invalid",
      "Invalid address '10.0.0.2' in <ip>",
      4,
      7,
    )],
  },
  {
    name: "misspelt link state",
    xml: iface("  <link state='dwon'/>"),
    expected: [d(
      "link-state-invalid",
      "unknown interface link state 'dwon'",
      4,
      9,
      { hint: "did you mean 'down'?" },
    )],
  },

  // 6. Guest and listen addresses passt refuses.
  ...[
    ["127.0.0.5", "loopback"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["ff02::1", "multicast"],
    ["::ffff:10.0.0.1", "IPv4-mapped"],
  ].map(([address, kind]): Row => ({
    name: `${kind} guest address ${address}`,
    xml: iface(`  <ip address='${address}'/>`),
    expected: [d(
      "ip-address-refused",
      `passt rejects the ${kind} address '${address}' as a guest address`,
      4,
      7,
    )],
  })),
  ...["169.254.1.1", "fe80::1", "10.255.255.255", "::1.2.3.4"].map((
    address,
  ): Row => ({
    name: `guest address ${address} is accepted`,
    xml: iface(`  <ip address='${address}'/>`),
    expected: [],
  })),
  {
    name: "loopback guest address without passt",
    xml: iface("  <ip address='127.0.0.5'/>", { backend: null }),
    expected: [],
  },
  {
    name: "IPv4-mapped listen address (2023)",
    xml: iface(
      forward(["start='80'"], "proto='tcp' address='::ffff:127.0.0.1'"),
    ),
    expected: [d(
      "mapped-address",
      `the tcp <portForward> address '::ffff:127.0.0.1' is IPv4-mapped, which passt 2023 cannot bind ("Failed to bind any port"); use 127.0.0.1`,
      4,
      28,
    )],
  },
  {
    name: "IPv4-mapped listen address (2026)",
    xml: iface(
      forward(["start='80'"], "proto='tcp' address='::ffff:127.0.0.1'"),
    ),
    target: "2026",
    expected: [],
  },
  {
    name: "three vhostuser interfaces without shared memory",
    // The rule under test; passt 2023 also warns (see "passt-option-too-new").
    target: "2026",
    xml: domain(
      [1, 2, 3].map((n) =>
        iface("", { type: "vhostuser", mac: `52:54:00:00:00:0${n}` })
      ).join("\n"),
      false,
    ),
    expected: [d(
      "shared-memory-required",
      "'interface' requires shared memory",
      5,
      1,
    )],
  },

  {
    name: "overlap across interfaces names libvirt's alias",
    xml: domain(
      iface("  <alias name='ua-web'/>\n" + forward(["start='80'"])) + "\n" +
        iface(forward(["start='80'"])),
    ),
    expected: [d(
      "overlap-across-interfaces",
      `tcp port 80 on any address is also forwarded by interface 'ua-web' on any address; the kernel refuses the second passt's bind ("Address already in use")`,
      17,
      5,
      { interface: 1 },
    )],
  },
  {
    name: "a non-user alias is dropped and libvirt's own alias named",
    xml: domain(
      iface(forward(["start='80'"])) + "\n" +
        iface("  <alias name='net7'/>\n" + forward(["start='80'"])),
    ),
    expected: [
      d(
        "alias-ignored",
        "libvirt ignores <alias name='net7'>: only names starting with 'ua-' are kept",
        15,
        10,
        { severity: "warning", interface: 1 },
      ),
      d(
        "overlap-across-interfaces",
        `tcp port 80 on any address is also forwarded by interface 'net0' on any address; the kernel refuses the second passt's bind ("Address already in use")`,
        17,
        5,
        { interface: 1 },
      ),
    ],
  },

  // Valid configurations.
  {
    name: "IPv4 prefix 28 with passt (newest libvirt)",
    xml: iface("  <ip address='10.0.0.2' prefix='28'/>"),
    expected: [],
  },
  {
    name: "MTU 0 (not set)",
    xml: iface("  <mtu size='0'/>"),
    expected: [],
  },
  {
    name: "passt default route per family",
    xml: iface(
      "  <route gateway='10.0.0.1'/>\n  <route gateway='2001:db8::1'/>",
    ),
    expected: [],
  },
  {
    name: "SLIRP with backend type='default'",
    xml: iface("  <ip address='10.0.2.0' prefix='24'/>", {
      backend: "<backend type='default'/>",
    }),
    expected: [],
  },
  {
    name: "portForward dev without address (2026)",
    xml: iface(forward(["start='80'"], "proto='tcp' dev='eth0'")),
    target: "2026",
    expected: [],
  },
  {
    name: "portForward dev of 13 characters (2026)",
    xml: iface(
      forward(
        ["start='80'"],
        "proto='tcp' address='10.0.0.1' dev='abcdefghijklm'",
      ),
    ),
    target: "2026",
    expected: [],
  },
  {
    name: "same port on different addresses (2026)",
    xml: iface(
      forward(["start='80'"], "proto='tcp' address='10.0.0.1'") + "\n" +
        forward(["start='80'"], "proto='tcp' address='10.0.0.2'"),
    ),
    target: "2026",
    expected: [],
  },
  {
    name: "exclusion inside a mapped range",
    xml: iface(
      forward([
        "start='5000' end='5099' to='1000'",
        "start='5010' end='5029' exclude='yes'",
      ]),
    ),
    expected: [],
  },
  {
    name: "vhostuser with passt in a shared-memory domain",
    // The rule under test; passt 2023 also warns (see "passt-option-too-new").
    target: "2026",
    xml: domain(iface("  <source dev='eth0'/>", { type: "vhostuser" })),
    expected: [],
  },
];

for (const row of rows) {
  Deno.test(`validate() ${row.name}`, () => {
    const actual = validate(
      parse(row.xml),
      row.target ? { target: row.target } : undefined,
    );
    assert.deepEqual(actual, row.expected);
  });
}

function read(path: string): string {
  return Deno.readTextFileSync(new URL(path, testdata));
}

Deno.test("validate() finds only the upstream warning in the seed interface", () => {
  assert.deepEqual(validate(parse(read("seed-interface.xml"))), [
    warning(
      "upstream-ignored",
      "Released libvirt ignores <backend upstream='eth0'>; passtkit treats it as <source dev='eth0'/>",
      5,
      50,
    ),
  ]);
});

for (
  const name of [
    "net-user-passt.xml",
    "net-user-passt.x86_64-latest.xml",
    "net-vhostuser-passt.xml",
    "net-vhostuser-passt.x86_64-latest.xml",
  ]
) {
  Deno.test(`validate() accepts libvirt 11.3.0's ${name} (passt 2026)`, () => {
    assert.deepEqual(
      validate(parse(read(`libvirt-11.3.0/${name}`)), { target: "2026" }),
      [],
    );
  });
  Deno.test(`validate() accepts libvirt 11.3.0's ${name} (passt 2023)`, () => {
    const diagnostics = validate(parse(read(`libvirt-11.3.0/${name}`)));
    // vhost-user came to passt in 2024: a warning for 2023, never an error.
    const expected = name.startsWith("net-vhostuser") ? ["warning"] : [];
    assert.deepEqual(
      [...new Set(diagnostics.map((d) => d.severity))],
      expected,
    );
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.code, "passt-option-too-new");
      assert.match(diagnostic.message, /--vhost-user.*2024_12_11/);
    }
  });
}

for (
  const name of ["net-user-slirp-portforward", "net-vhostuser-passt-no-shmem"]
) {
  Deno.test(`validate() gives libvirt's message for ${name}.xml`, () => {
    const expected = read(`libvirt-11.3.0/${name}.x86_64-latest.err`)
      .trim()
      .replace(/^[a-z ]+: /, "");
    const diagnostics = validate(parse(read(`libvirt-11.3.0/${name}.xml`)), {
      target: "2026",
    });
    assert.ok(diagnostics.length > 0);
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.severity, "error");
      assert.equal(diagnostic.message, expected);
    }
  });
}

Deno.test("validate() reports every problem of a document at once, sorted", () => {
  const xml = domain(
    iface(
      [
        "  <mtu size='20'/>",
        "  <ip address='2001:db8::2' prefix='56'/>",
        forward(["start='0'", "start='70000'"]),
        "  <bogus/>",
      ].join("\n"),
      { backend: "<backend type='passt' logFile='rel.log'/>" },
    ) + "\n" + iface("  <ip address='10.0.0.2'/>", { type: "bridge" }),
  );
  const diagnostics = validate(parse(xml));
  assert.deepEqual(
    diagnostics.map((x) => [x.code, x.line, x.interface]),
    [
      ["log-file-not-absolute", 7, 0],
      ["mtu-out-of-range", 8, 0],
      ["ipv6-prefix", 9, 0],
      ["range-zero", 11, 0],
      ["port-too-large", 12, 0],
      ["unknown-element", 14, 0],
      ["passt-backend-type", 18, 1],
      ["ip-unsupported", 19, 1],
    ],
  );
  const positions = diagnostics.map((x) => [x.line, x.column]);
  const sorted = [...positions].sort((a, b) =>
    (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0)
  );
  assert.deepEqual(positions, sorted);
});

Deno.test("validate() does not throw on odd but well-formed documents", () => {
  for (
    const xml of [
      "<devices/>",
      "<domain/>",
      "<interface type='user'><portForward/><range/><ip/><route/><mtu/><mac/><backend/></interface>",
      "<interface type='user'><backend type='passt'/><portForward proto='tcp'><range start='99999999999999999999' end='x' to='' exclude=''/></portForward></interface>",
    ]
  ) {
    assert.ok(Array.isArray(validate(parse(xml))));
  }
});

Deno.test("validate() checks the names passt's files are made of: domain name and aliases", () => {
  const doc = parse(`<domain type='kvm'>
  <name>a/b</name>
  <devices>
    <interface type='user'>
      <mac address='52:54:00:a8:33:f1'/>
      <alias name='ua-x'/>
      <backend type='passt'/>
    </interface>
    <interface type='user'>
      <mac address='52:54:00:a8:33:f2'/>
      <alias name='ua-x'/>
      <backend type='passt'/>
    </interface>
    <interface type='user'>
      <mac address='52:54:00:a8:33:f3'/>
      <alias name='ua-y/z'/>
      <backend type='passt'/>
    </interface>
  </devices>
</domain>`);
  assert.deepEqual(validate(doc), [
    // A document-level problem names no interface.
    {
      severity: "error",
      code: "domain-name-invalid",
      message: "name a/b cannot contain '/'",
      line: 2,
      column: 3,
    },
    d("alias-duplicate", "non unique alias detected: ua-x", 6, 14),
    d("alias-duplicate", "non unique alias detected: ua-x", 11, 14, {
      interface: 1,
    }),
    d(
      "alias-invalid",
      "The alias 'ua-y/z' cannot be part of a file name",
      16,
      14,
      { interface: 2 },
    ),
  ]);
});

Deno.test("validate() reports a range without start also when the forward's proto or address is bad", () => {
  for (const attributes of ["proto='tpc'", "proto='tcp' address='x'"]) {
    const codes = validate(parse(iface(forward(["end='30'"], attributes))))
      .map((d) => d.code);
    assert.ok(
      codes.includes("range-requires-start"),
      `${attributes}: ${codes}`,
    );
    assert.equal(
      codes.filter((c) => c === "range-requires-start").length,
      1,
      attributes,
    );
  }
  // With a good forward it is reported once, by the port checks.
  const codes = validate(parse(iface(forward(["end='30'"])))).map((d) =>
    d.code
  );
  assert.deepEqual(codes.filter((c) => c === "range-requires-start"), [
    "range-requires-start",
  ]);
});
