import assert from "node:assert/strict";
import fc from "fast-check";
import {
  canonicalAddress,
  format,
  isFormatted,
  parse,
  type XmlDocument,
} from "@passtkit/xml";
import {
  choiceArbitrary,
  choices,
  generateDomain,
  generateInterface,
  meaningOf,
  rfc5952,
} from "./_arbitrary.ts";

// fast-check picks a new seed each run and prints it (with the failing path)
// when a property fails; replay with fc.assert(..., { seed, path }).

/** The text between the interfaces `format` rewrites. */
function gaps(doc: XmlDocument): string[] {
  const out: string[] = [];
  let at = 0;
  for (const iface of doc.interfaces) {
    if (!isFormatted(iface)) continue;
    out.push(doc.text.slice(at, iface.source.start));
    at = iface.source.end;
  }
  out.push(doc.text.slice(at));
  return out;
}

Deno.test("format() keeps tabs and line breaks of attribute values across a round trip", () => {
  const text =
    `<interface type='user'><backend type='passt' logFile='/tmp/a&#10;b&#9;c&#13;d'/></interface>`;
  const once = format(parse(text));
  assert.equal(
    parse(once).interfaces[0]?.backend?.logFile,
    "/tmp/a\nb\tc\rd",
  );
  assert.equal(format(parse(once)), once);
});

Deno.test("rfc5952() (the tests' own oracle) writes RFC 5952's examples", () => {
  assert.equal(rfc5952([0x2001, 0xdb8, 0, 0, 0, 0, 2, 1]), "2001:db8::2:1");
  assert.equal(
    rfc5952([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]),
    "2001:db8:0:1:1:1:1:1",
  );
  assert.equal(rfc5952([0x2001, 0, 0, 1, 0, 0, 0, 1]), "2001:0:0:1::1");
  assert.equal(rfc5952([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), "2001:db8::1:0:0:1");
  assert.equal(rfc5952([0xfe80, 0, 0, 0, 0, 0, 0, 0]), "fe80::");
});

Deno.test("parse() reads what a generated interface says, and format() keeps its meaning in canonical form", () => {
  fc.assert(
    fc.property(choiceArbitrary(), (c) => {
      const { xml, meaning } = generateInterface(choices(c));
      const doc = parse(xml);
      assert.equal(doc.interfaces.length, 1);
      assert.deepEqual(meaningOf(doc.interfaces[0]!, "written"), meaning);

      const once = format(doc);
      const reread = parse(once);
      assert.equal(reread.interfaces.length, 1);
      // read strictly: a non-canonical value or a leftover `upstream` differs
      assert.deepEqual(meaningOf(reread.interfaces[0]!, "canonical"), meaning);
      assert.equal(format(reread), once, "format() is not idempotent");
    }),
    { numRuns: 2500 },
  );
});

Deno.test("format() changes nothing outside the passt interfaces of a generated domain", () => {
  fc.assert(
    fc.property(choiceArbitrary(2000), (c) => {
      const { xml, interfaces, untouched } = generateDomain(choices(c));
      const doc = parse(xml);
      assert.equal(doc.kind, "domain");
      assert.equal(doc.interfaces.length, interfaces.length + untouched);

      const once = format(doc);
      const reread = parse(once);
      assert.deepEqual(gaps(reread), gaps(doc));
      const rewritten = reread.interfaces.filter(isFormatted);
      assert.deepEqual(
        rewritten.map((i) => meaningOf(i, "canonical")),
        interfaces,
      );
      assert.equal(format(reread), once, "format() is not idempotent");
    }),
    { numRuns: 600 },
  );
});

Deno.test("canonicalAddress() agrees with RFC 5952 on generated IPv6 addresses", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(0, 0, 0, 1, 0xdb8, 0xffff), {
        minLength: 8,
        maxLength: 8,
      }).filter((w) => w[0] !== 0),
      fc.boolean(),
      (words, upper) => {
        let written = words.map((w) => w.toString(16).padStart(4, "0")).join(
          ":",
        );
        if (upper) written = written.toUpperCase();
        assert.deepEqual(canonicalAddress(written), {
          family: "ipv6",
          text: rfc5952(words),
        });
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("format() rewrites interfaces in place across several <devices> elements", () => {
  const text = `<domain type='kvm'>
  <devices>
    <interface type="user"><backend type="passt"/></interface>
    <interface type='network'><source network='default'/></interface>
  </devices>
  <devices><interface type='user'><mac address='52:54:00:AA:BB:CC'/></interface></devices>
</domain>
`;
  assert.equal(
    format(parse(text)),
    `<domain type='kvm'>
  <devices>
    <interface type='user'>
      <backend type='passt'/>
    </interface>
    <interface type='network'><source network='default'/></interface>
  </devices>
  <devices><interface type='user'>
  <mac address='52:54:00:aa:bb:cc'/>
</interface></devices>
</domain>
`,
  );
});
