import assert from "node:assert/strict";
import { format, parse } from "@passtkit/xml";

Deno.test("format() keeps tabs and line breaks of attribute values across a round trip", () => {
  const text =
    `<interface type='user'><backend type='passt' logFile='/tmp/a&#10;b&#9;c&#13;d'/></interface>`;
  const once = format(parse(text));
  assert.equal(parse(once).interfaces[0]?.backend?.logFile, "/tmp/a\nb\tc\rd");
  assert.equal(format(parse(once)), once);
});
