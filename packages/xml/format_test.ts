import assert from "node:assert/strict";
import { format, formatInterface, parse } from "@passtkit/xml";

const dir = new URL("./testdata/", import.meta.url);

function interfaceTexts(text: string): string[] {
  const doc = parse(text);
  return doc.interfaces.map((i) => text.slice(i.source.start, i.source.end));
}

for (const name of ["net-user-passt", "net-vhostuser-passt"]) {
  for (const variant of ["x86_64-latest", "x86_64-7.2.0"]) {
    const expectedUrl = new URL(`libvirt-11.3.0/${name}.${variant}.xml`, dir);
    let expected: string;
    try {
      expected = Deno.readTextFileSync(expectedUrl);
    } catch {
      continue;
    }
    Deno.test(`format() gives libvirt 11.3.0's ${name}.${variant}.xml interfaces byte for byte`, () => {
      const input = Deno.readTextFileSync(
        new URL(`libvirt-11.3.0/${name}.xml`, dir),
      );
      const formatted = format(parse(input, { file: `${name}.xml` }));
      assert.deepEqual(interfaceTexts(formatted), interfaceTexts(expected));
    });
  }
}

Deno.test("format() leaves every byte outside the interfaces as it was", () => {
  const input = Deno.readTextFileSync(
    new URL("libvirt-11.3.0/net-vhostuser-passt.xml", dir),
  );
  const doc = parse(input);
  const formatted = format(doc);
  const first = doc.interfaces[0]!.source.start;
  const last = doc.interfaces.at(-1)!.source.end;
  assert.equal(formatted.slice(0, first), input.slice(0, first));
  assert.equal(
    formatted.slice(formatted.length - (input.length - last)),
    input.slice(last),
  );
});

Deno.test("format() of libvirt 9.0.0's net-user-passt.xml is unchanged (input == output there)", () => {
  const input = Deno.readTextFileSync(
    new URL("libvirt-9.0.0/net-user-passt.xml", dir),
  );
  assert.equal(format(parse(input)), input);
});

Deno.test("format() is idempotent on every vector", () => {
  for (const entry of Deno.readDirSync(new URL("libvirt-11.3.0/", dir))) {
    if (!entry.name.endsWith(".xml")) continue;
    const input = Deno.readTextFileSync(
      new URL(`libvirt-11.3.0/${entry.name}`, dir),
    );
    const once = format(parse(input));
    assert.equal(format(parse(once)), once, entry.name);
  }
});

Deno.test("format() writes the seed in libvirt's canonical, released form", () => {
  const seed = Deno.readTextFileSync(new URL("seed-interface.xml", dir));
  assert.equal(
    format(parse(seed)),
    `<interface type='user'>
  <mac address='52:54:00:a8:33:fc'/>
  <source dev='eth0'/>
  <ip address='192.168.221.122' family='ipv4'/>
  <portForward proto='tcp' address='10.0.0.1' dev='eth0'>
    <range start='2022' to='22'/>
    <range start='5000' end='5099' to='1000'/>
    <range start='5010' end='5029' exclude='yes'/>
  </portForward>
  <portForward proto='udp'>
    <range start='10101'/>
  </portForward>
  <model type='virtio'/>
  <backend type='passt' logFile='/tmp/xyzzy.log'/>
</interface>
`.trimEnd() + (seed.endsWith("\n") ? "\n" : ""),
  );
});

Deno.test("formatInterface() applies libvirt's omissions and canonical values", () => {
  const doc = parse(`<interface type='vhostuser'>
    <alias name='ua-net'/>
    <mtu size='1500'/>
    <backend type='passt' fqdn='a.example' hostname='a'/>
    <source type='unix' path='/x' mode='client' dev='eth1'><reconnect enabled='yes'/></source>
    <ip address='2001:DB8:0:0:0:0:0:1' prefix='64'/>
    <ip address='10.0.0.5' prefix='0'/>
    <portForward proto='udp' address='::ffff:1.2.3.4'><range/><range start='1' exclude='no'/></portForward>
    <mac address='00:AA:BB:CC:DD:EE'/>
  </interface>`);
  assert.equal(
    formatInterface(doc.interfaces[0]!, { indent: "" }, doc.text),
    `<interface type='vhostuser'>
  <mac address='00:aa:bb:cc:dd:ee'/>
  <source dev='eth1'/>
  <ip address='2001:db8::1' family='ipv6' prefix='64'/>
  <ip address='10.0.0.5' family='ipv4'/>
  <portForward proto='udp' address='::ffff:1.2.3.4'>
    <range start='1' exclude='no'/>
  </portForward>
  <model type='virtio'/>
  <backend type='passt' hostname='a' fqdn='a.example'/>
  <mtu size='1500'/>
  <alias name='ua-net'/>
</interface>`,
  );
});

Deno.test("format() leaves interfaces that are neither passt nor type='user' untouched", () => {
  const text = `<devices>
  <interface type="network"><source network="default"/><model type="virtio"/></interface>
</devices>`;
  assert.equal(format(parse(text)), text);
});

Deno.test("format() keeps unknown children of <portForward> after its ranges", () => {
  const text = `<interface type='user'>
  <backend type='passt'/>
  <portForward proto='tcp'>
    <rnage start='2022' to='22'/>
  </portForward>
  <portForward proto='udp'>
      <note>x</note>
      <range start='53'/>
  </portForward>
</interface>`;
  const once = format(parse(text));
  assert.equal(
    once,
    `<interface type='user'>
  <portForward proto='tcp'>
    <rnage start='2022' to='22'/>
  </portForward>
  <portForward proto='udp'>
    <range start='53'/>
    <note>x</note>
  </portForward>
  <backend type='passt'/>
</interface>`,
  );
  assert.equal(format(parse(once)), once);
});

Deno.test("parse() records children that libvirt ignores in the element's source", () => {
  const doc = parse(`<interface type='user'>
  <backend type='passt'><portForward proto='tcp'/></backend>
  <portForward proto='tcp'><rnage start='1'/><range start='2'><x/></range></portForward>
</interface>`);
  const iface = doc.interfaces[0]!;
  assert.deepEqual(
    iface.backend?.source.others?.map((o) => [o.name, o.xml, o.source.line]),
    [["portForward", "<portForward proto='tcp'/>", 2]],
  );
  const forward = iface.portForwards[0]!;
  assert.deepEqual(forward.source.others?.map((o) => o.name), ["rnage"]);
  assert.deepEqual(forward.ranges[0]?.source.others?.map((o) => o.name), [
    "x",
  ]);
  assert.equal(iface.elements.mac, undefined);
  assert.equal(iface.backend?.source.others?.[0]?.known, false);
});

Deno.test("format() keeps CRLF line ends in the interfaces it rewrites", () => {
  const text = "<domain>\r\n  <devices>\r\n    <interface type='user'>\r\n" +
    "      <backend type='passt'/>\r\n      <address type='pci' slot='0x02'/>\r\n" +
    "      <mac address='52:54:00:AA:BB:CC'/>\r\n    </interface>\r\n  </devices>\r\n</domain>\r\n";
  const once = format(parse(text));
  assert.equal(once.replace(/\r\n/g, "").includes("\n"), false);
  assert.match(once, /\r\n {6}<mac address='52:54:00:aa:bb:cc'\/>\r\n/);
  assert.equal(format(parse(once)), once);
});

Deno.test("formatInterface() drops an <alias> that is not a user alias", () => {
  const doc = parse(`<interface type='user'>
  <backend type='passt'/>
  <alias name='net7'/>
</interface>`);
  assert.equal(
    formatInterface(doc.interfaces[0]!, { indent: "" }, doc.text),
    `<interface type='user'>
  <backend type='passt'/>
</interface>`,
  );
});

Deno.test("formatInterface() writes <mac> attributes in libvirt's order", () => {
  const doc = parse(`<interface type='user'>
  <mac x='1' check='no' type='static' address='52:54:00:A8:33:FC'/>
  <backend type='passt'/>
</interface>`);
  assert.equal(
    formatInterface(doc.interfaces[0]!, { indent: "" }, doc.text),
    `<interface type='user'>
  <mac address='52:54:00:a8:33:fc' type='static' check='no' x='1'/>
  <backend type='passt'/>
</interface>`,
  );
});
