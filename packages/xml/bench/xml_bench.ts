// deno bench -A packages/xml/bench/
//
// parse, validate and format of a generated <domain> with 1,000 passt
// interfaces, and how fast hostile documents are refused.

import { format, parse, validate, XmlParseError } from "@passtkit/xml";

const COUNT = 1_000;

function hex2(n: number): string {
  return (n & 255).toString(16).padStart(2, "0");
}

/** A valid domain: every interface with its own MAC, addresses and host ports. */
function domainWithInterfaces(count: number): string {
  const interfaces = Array.from({ length: count }, (_, i) => {
    const tcp = 10_000 + i * 10; // host TCP ports tcp … tcp+9, one block each
    const udp = 30_000 + i * 10;
    return `    <interface type='user'>
      <mac address='52:54:00:${hex2(i >> 16)}:${hex2(i >> 8)}:${hex2(i)}'/>
      <source dev='eth0'/>
      <ip address='10.${(i >> 8) & 255}.${
      i & 255
    }.2' family='ipv4' prefix='24'/>
      <ip address='2001:db8:${i.toString(16)}::2' family='ipv6'/>
      <portForward proto='tcp'>
        <range start='${tcp}' to='22'/>
        <range start='${tcp + 1}' end='${tcp + 8}' to='8001'/>
        <range start='${tcp + 4}' exclude='yes'/>
      </portForward>
      <portForward proto='udp'>
        <range start='${udp}' end='${udp + 3}'/>
      </portForward>
      <model type='virtio'/>
      <backend type='passt' logFile='/var/log/passt/net${i}.log'/>
      <alias name='ua-net${i}'/>
    </interface>`;
  });
  return `<domain type='kvm'>
  <name>bench</name>
  <memory unit='KiB'>1048576</memory>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <devices>
${interfaces.join("\n")}
  </devices>
</domain>
`;
}

const text = domainWithInterfaces(COUNT);
const doc = parse(text);
if (doc.interfaces.length !== COUNT) {
  throw new Error(
    `expected ${COUNT} interfaces, parsed ${doc.interfaces.length}`,
  );
}
const errors = validate(doc).filter((d) => d.severity === "error");
if (errors.length > 0) {
  throw new Error(
    `the bench domain is not valid: ${errors[0]!.code}: ${errors[0]!.message}`,
  );
}
if (format(parse(format(doc))) !== format(doc)) {
  throw new Error("format() is not idempotent on the bench domain");
}

const group = `domain with ${COUNT} interfaces (${
  Math.round(text.length / 1024)
} KiB)`;

Deno.bench({
  name: "parse",
  group,
  baseline: true,
  fn: () => void parse(text),
});
Deno.bench({ name: "validate", group, fn: () => void validate(doc) });
Deno.bench({ name: "format", group, fn: () => void format(doc) });
Deno.bench({
  name: "parse + validate + format",
  group,
  fn: () => {
    const d = parse(text);
    validate(d);
    format(d);
  },
});

// Hostile documents: each must be refused with XmlParseError, quickly.

const laughs = [
  `<!ENTITY lol "lol">`,
  ...Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`,
  ),
].join("\n");
const hostile: Record<string, string> = {
  "billion laughs":
    `<!DOCTYPE lolz [\n${laughs}\n]>\n<interface type='user'>&lol9;</interface>`,
  "external entity":
    `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><interface type='user'>&e;</interface>`,
  "SYSTEM DOCTYPE, undefined entity":
    `<!DOCTYPE interface SYSTEM "file:///etc/passwd"><interface type='user'>&e;</interface>`,
  "10,000 levels deep": `<interface type='user'>${"<x>".repeat(10_000)}${
    "</x>".repeat(10_000)
  }</interface>`,
};

for (const [name, input] of Object.entries(hostile)) {
  Deno.bench({
    name: `refuse: ${name}`,
    group: "hostile documents",
    fn: () => {
      try {
        parse(input);
      } catch (error) {
        if (error instanceof XmlParseError) return;
        throw error;
      }
      throw new Error(`${name} was accepted`);
    },
  });
}
