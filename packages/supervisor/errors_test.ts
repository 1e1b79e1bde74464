import assert from "node:assert/strict";
import { ArgvError, PasstStartError, UnsupportedOptionError } from "./mod.ts";

const BANNER = [
  "Don't run as root. Changing to nobody...",
  "Template interface: eth0 (IPv4), eth0 (IPv6)",
  "MAC:",
  "    host: 02:fc:00:00:00:01",
  "UNIX domain socket bound at /run/p/a.socket",
  "",
  "You can now start qemu (>= 7.2, with commit 13c6be96618c):",
  "    kvm ... -device virtio-net-pci,netdev=s -netdev stream,id=s,server=off,addr.type=unix,addr.path=/run/p/a.socket",
  "or qrap, for earlier qemu versions:",
  "    ./qrap 5 kvm ... -net socket,fd=5 -net nic,model=virtio",
];

const USAGE = [
  "Usage: passt [OPTION]...",
  "",
  "  -d, --debug\t\tBe verbose",
  "  -u, --udp-ports SPEC\tUDP port forwarding to guest",
  "    SPEC is as described for TCP above",
  "    default: none",
];

// Output texts of the Debian 2023 passt (run here) and the newest one.
const CASES: [string, string[], string][] = [
  [
    "unknown long option, before the usage text",
    ["passt: unrecognized option '--vhost-user'", ...USAGE],
    "unrecognized option '--vhost-user' (added in passt 2024_12_11; install a newer passt)",
  ],
  [
    "unknown option never added upstream",
    ["passt: unrecognized option '--no-such-option'", ...USAGE],
    "unrecognized option '--no-such-option'",
  ],
  [
    "unknown short option",
    ["passt: invalid option -- 'H'", ...USAGE],
    "invalid option -- 'H' (added in passt 2025_02_17; install a newer passt)",
  ],
  [
    "missing value",
    ["passt: option requires an argument -- 't'", ...USAGE],
    "option requires an argument -- 't'",
  ],
  [
    "value for a flag",
    ["passt: option '--no-tcp' doesn't allow an argument", ...USAGE],
    "option '--no-tcp' doesn't allow an argument",
  ],
  [
    "ambiguous abbreviation",
    [
      "passt: option '--tcp' is ambiguous; possibilities: '--tcp-ports' '--tcp-ns'",
      ...USAGE,
    ],
    "option '--tcp' is ambiguous; possibilities: '--tcp-ports' '--tcp-ns'",
  ],
  [
    "busy port",
    [
      "Don't run as root. Changing to nobody...",
      "Failed to bind any port for '-t 127.0.0.1/41097', exiting",
    ],
    "Failed to bind any port for '-t 127.0.0.1/41097', exiting",
  ],
  [
    "per-port warning before the fatal line",
    [
      "Don't run as root. Changing to nobody...",
      "Can't bind socket for TCP port 41097 to nosuch0, closing",
      "Failed to bind any port for '-t 127.0.0.1%nosuch0/41097', exiting",
    ],
    "Failed to bind any port for '-t 127.0.0.1%nosuch0/41097', exiting",
  ],
  [
    "socket in use, after the banner",
    [...BANNER, "Socket path /run/p/a.socket already in use"],
    "Socket path /run/p/a.socket already in use",
  ],
  [
    "PID file directory missing, after the banner",
    [...BANNER, "PID file open: No such file or directory"],
    "PID file open: No such file or directory",
  ],
  [
    "too many sockets",
    [
      "L4 socket: Too many open files",
      "L4 socket: Too many open files",
      "Can't open enough sockets for port specifier: all",
    ],
    "Can't open enough sockets for port specifier: all",
  ],
  [
    "interface",
    ["Invalid interface name nosuchdev0: No such device"],
    "Invalid interface name nosuchdev0: No such device",
  ],
  [
    "duplicate option",
    ["Multiple --foreground options given"],
    "Multiple --foreground options given",
  ],
  [
    "-4 -6",
    ["Options ipv4-only and ipv6-only are mutually exclusive"],
    "Options ipv4-only and ipv6-only are mutually exclusive",
  ],
  [
    "-e -l",
    ["Can't log to both stderr and file"],
    "Can't log to both stderr and file",
  ],
  [
    "log file",
    [
      "Don't run as root. Changing to nobody...",
      "Couldn't open log file /nonexistent/x.log: No such file or directory",
    ],
    "Couldn't open log file /nonexistent/x.log: No such file or directory",
  ],
  [
    "port spec conflict",
    [
      "Don't run as root. Changing to nobody...",
      "Port forwarding mode 'none' conflicts with previous mode",
    ],
    "Port forwarding mode 'none' conflicts with previous mode",
  ],
  [
    "newest: listen failure, then the fatal summary",
    [
      "Started as root, will change to nobody.",
      "Listen failed for HOST TCP port 127.0.0.1/2024: Address already in use",
      "Couldn't listen on requested ports",
    ],
    "Listen failed for HOST TCP port 127.0.0.1/2024: Address already in use",
  ],
  [
    "newest: socket bind",
    [
      "Started as root, will change to nobody.",
      "Failed to bind UNIX domain socket: No such file or directory",
    ],
    "Failed to bind UNIX domain socket: No such file or directory",
  ],
  [
    "a warning alone is not the reason when a later line says more",
    [
      "Couldn't get any nameserver address",
      "Extra non-option argument: extra",
    ],
    "Extra non-option argument: extra",
  ],
  [
    "nothing recognisable: the last line before the usage text",
    ["something new went wrong", ...USAGE],
    "something new went wrong",
  ],
  [
    "nothing recognisable, no usage: the last line",
    ["DHCP:", "    assign: 192.0.2.2", "the end"],
    "the end",
  ],
];

for (const [what, lines, reason] of CASES) {
  Deno.test(`PasstStartError names passt's reason: ${what}`, () => {
    const stderr = lines.join("\n") + "\n";
    const error = new PasstStartError({
      exitCode: 1,
      signal: null,
      stderr,
      argv: ["passt"],
    });
    assert.equal(error.reason, reason);
    assert.equal(
      error.message,
      `passt exited with code 1 before it was ready: ${reason}`,
    );
    assert.equal(error.stderr, stderr, "the full text is kept");
  });
}

Deno.test("PasstStartError without output has no reason", () => {
  const error = new PasstStartError({
    exitCode: null,
    signal: "SIGKILL",
    stderr: "",
    argv: ["passt"],
  });
  assert.equal(error.reason, "");
  assert.equal(
    error.message,
    "passt was killed by SIGKILL before it was ready",
  );
});

Deno.test("UnsupportedOptionError names each option and its release", () => {
  const two = new UnsupportedOptionError(["--vhost-user", "-H"]);
  assert.equal(
    two.message,
    "this passt does not support --vhost-user (added in passt 2024_12_11), -H (added in passt 2025_02_17); install a newer passt",
  );
  assert.ok(two instanceof ArgvError);
  assert.deepEqual(two.options, ["--vhost-user", "-H"]);
  assert.equal(
    new UnsupportedOptionError(["--no-such-option"]).message,
    "this passt does not support --no-such-option",
  );
});
