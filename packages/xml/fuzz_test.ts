import assert from "node:assert/strict";
import {
  type Diagnostic,
  format,
  parse,
  validate,
  type XmlDocument,
  XmlParseError,
} from "@passtkit/xml";
import {
  generateDomain,
  generateInterface,
  mulberry32,
  seeded,
} from "./_arbitrary.ts";

// A seeded fuzz test: mutated copies of every testdata/ document go through
// parse, validate and format. parse may throw XmlParseError and nothing else;
// validate and format never throw; a document without errors formats
// idempotently. Replay a failure with the seed and index it prints:
//   PASSTKIT_FUZZ_SEED=<seed> PASSTKIT_FUZZ_INDEX=<index> deno test -A packages/xml/fuzz_test.ts

const DEFAULT_SEED = 0x5eed_2026;
const SEED = Number(Deno.env.get("PASSTKIT_FUZZ_SEED") ?? DEFAULT_SEED);
const RUNS = Number(Deno.env.get("PASSTKIT_FUZZ_RUNS") ?? 10_000);
const ONLY = Deno.env.get("PASSTKIT_FUZZ_INDEX");
/** A hang guard, not a performance target: no input may take this long. */
const MAX_MS_PER_INPUT = 2_000;

function readCorpus(dir: URL): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) out.push(...readCorpus(url));
    else if (entry.name.endsWith(".xml")) {
      out.push({
        name: url.pathname.replace(/.*\/testdata\//, ""),
        text: Deno.readTextFileSync(url),
      });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const corpus = readCorpus(new URL("./testdata/", import.meta.url));

class Rng {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }
  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.#next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.#next() / 0x1_0000_0000 < p;
  }
}

/**
 * Spans of elements (start tag to matching end tag, or the empty-element
 * tag), found loosely in one pass (end tags pair with the nearest open start
 * tag of the same name; unpaired tags are skipped). At most 1,000.
 */
function elementSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const open: { name: string; start: number }[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)[^<>]*?(\/?)>/g;
  for (
    let m = tag.exec(text);
    m !== null && spans.length < 1_000;
    m = tag.exec(text)
  ) {
    const name = m[2] ?? "";
    if (m[3] === "/") spans.push([m.index, tag.lastIndex]);
    else if (m[1] !== "/") open.push({ name, start: m.index });
    else {
      const i = open.findLastIndex((o) => o.name === name);
      if (i === -1) continue;
      spans.push([open[i]!.start, tag.lastIndex]);
      open.length = i;
    }
  }
  return spans;
}

const ODD_VALUES = [
  "",
  "0",
  "-1",
  "65535",
  "65536",
  "99999999999",
  "18446744073709551616",
  "+22",
  " 22",
  "22 ",
  "0x16",
  "1e3",
  "üñï©ødé 中文 😀",
  "&amp;",
  "&lt;&gt;&quot;&apos;",
  "'",
  '"',
  "\u0001\u0002",
  "\t\n\r",
  "&#10;&#9;",
  "&#0;",
  "&#xD800;",
  "&#xFFFE;",
  "&undefined;",
  "passt",
  "default",
  "tcp",
  "udp",
  "yes",
  "maybe",
  "::",
  "::ffff:1.2.3.4",
  "2001:DB8::1%eth0",
  "1.2.3",
  "256.1.1.1",
  "010.001.002.003",
  "fe80::1:2:3:4:5:6:7:8",
  "52:54:00:AA:BB:CC",
  "01:00:5e:00:00:01",
  "relative/path.log",
  "/",
  "a".repeat(300),
];

const STRAY = [
  "&foo;",
  "&#0;",
  "&#xD800;",
  "&#xDFFF;",
  "&#x10FFFF;",
  "&#x110000;",
  "&#65;",
  "&amp;",
  "&",
  "&#;",
  "&lt",
  "]]>",
  "<",
  ">",
  "<!--",
  "-->",
  "<![CDATA[x]]>",
  "<?pi x?>",
  "<!DOCTYPE domain>",
  "<!DOCTYPE x [<!ENTITY e 'x'>]>",
  "<!DOCTYPE x SYSTEM 'file:///etc/passwd'>",
  "\uFEFF",
  "\u0000",
];

const HUGE = 1024 * 1024;

type Mutator = (text: string, rng: Rng) => string;

const MUTATORS: Record<string, Mutator> = {
  truncate: (t, r) => t.slice(0, r.below(t.length + 1)),
  deleteElement: (t, r) => {
    const spans = elementSpans(t);
    if (spans.length === 0) return t;
    const [a, b] = r.pick(spans);
    return t.slice(0, a) + t.slice(b);
  },
  duplicateElement: (t, r) => {
    const spans = elementSpans(t);
    if (spans.length === 0) return t;
    const [a, b] = r.pick(spans);
    const at = r.chance(0.5) ? b : r.below(t.length + 1);
    return t.slice(0, at) + t.slice(a, b) + t.slice(at);
  },
  swapElements: (t, r) => {
    const spans = elementSpans(t);
    if (spans.length < 2) return t;
    let [x, y] = [r.pick(spans), r.pick(spans)];
    if (x[0] > y[0]) [x, y] = [y, x];
    if (x[1] > y[0]) return t; // nested or the same
    return t.slice(0, x[0]) + t.slice(y[0], y[1]) + t.slice(x[1], y[0]) +
      t.slice(x[0], x[1]) + t.slice(y[1]);
  },
  attributeValue: (t, r) => {
    const values = [...t.matchAll(/=\s*(['"])(.*?)\1/gs)];
    if (values.length === 0) return t;
    const m = r.pick(values);
    const quote = m[1] ?? "'";
    const start = m.index + m[0].indexOf(quote) + 1;
    let value = r.chance(0.8) ? r.pick(ODD_VALUES) : randomText(r, r.below(20));
    if (r.chance(0.2)) value = (m[2] ?? "") + value;
    return t.slice(0, start) + value + t.slice(start + (m[2] ?? "").length);
  },
  strayEntity: (t, r) => {
    const at = r.below(t.length + 1);
    return t.slice(0, at) + r.pick(STRAY) + t.slice(at);
  },
  deepNesting: (t, r) => {
    const depth = r.pick([100, 255, 256, 257, 1_000, 10_000]);
    const name = r.pick(["x", "interface", "devices", "domain"]);
    const open = `<${name}>`.repeat(depth);
    const close = `</${name}>`.repeat(depth);
    if (r.chance(0.3)) return open + t + close;
    const spans = elementSpans(t);
    if (spans.length === 0) return open + close + t;
    const [a, b] = r.pick(spans);
    const inner = t.slice(a, b);
    const gt = inner.endsWith("/>") ? -1 : inner.indexOf(">");
    if (gt === -1) return t.slice(0, a) + open + inner + close + t.slice(b);
    return t.slice(0, a + gt + 1) + open + (r.chance(0.5) ? "" : "text") +
      close + t.slice(a + gt + 1);
  },
  hugeAttribute: (t, r) => {
    const values = [...t.matchAll(/=\s*(['"])(.*?)\1/gs)];
    const pattern = r.pick([
      "a",
      "1",
      ":",
      "1:",
      " ",
      "&amp;",
      "0.",
      "é",
      "f:",
    ]);
    const huge = pattern.repeat(Math.ceil(HUGE / pattern.length));
    if (values.length === 0) return t.replace(/<(\w+)/, `<$1 huge='${huge}'`);
    const m = r.pick(values);
    const start = m.index + m[0].indexOf(m[1] ?? "'") + 1;
    return t.slice(0, start) + huge + t.slice(start + (m[2] ?? "").length);
  },
  randomBytes: (t, r) => {
    const at = r.below(t.length + 1);
    const cut = r.chance(0.5) ? r.below(16) : 0;
    return t.slice(0, at) + randomText(r, 1 + r.below(16)) + t.slice(at + cut);
  },
  randomDocument: (_t, r) => randomText(r, r.below(200)),
};

const MARKUP = "<>/='\"&;!?[]-: \n\tabcdeinrstx0123456789#";

function randomText(r: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    out += r.chance(0.7)
      ? MARKUP[r.below(MARKUP.length)]
      : String.fromCharCode(r.below(0x10000)); // lone surrogates included
  }
  return out;
}

const MUTATOR_NAMES = Object.keys(MUTATORS);
// Expensive mutations (a megabyte, or thousands of levels) are rarer.
const WEIGHTS: Record<string, number> = {
  hugeAttribute: 0.01,
  deepNesting: 0.05,
  randomDocument: 0.02,
};

function mutate(index: number): { text: string; steps: string[] } {
  const rng = new Rng((SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  let base = rng.pick(corpus);
  if (rng.chance(0.3)) {
    // a generated document: valid-looking, in forms the corpus lacks
    const g = seeded(rng.below(0x1_0000_0000));
    base = rng.chance(0.5)
      ? { name: "generated interface", text: generateInterface(g).xml }
      : { name: "generated domain", text: generateDomain(g).xml };
  }
  const steps = [base.name];
  let text = base.text;
  const count = rng.chance(0.05) ? 0 : 1 + rng.below(3);
  for (let i = 0; i < count; i++) {
    let name = rng.pick(MUTATOR_NAMES);
    while (rng.chance(1 - (WEIGHTS[name] ?? 1))) {
      name = rng.pick(MUTATOR_NAMES);
    }
    text = MUTATORS[name]!(text, rng);
    steps.push(name);
  }
  return { text, steps };
}

function checkDiagnostics(diagnostics: unknown): Diagnostic[] {
  assert.ok(Array.isArray(diagnostics), "validate() returned no array");
  for (const d of diagnostics as Diagnostic[]) {
    assert.ok(d.severity === "error" || d.severity === "warning", d.severity);
    assert.equal(typeof d.code, "string");
    assert.equal(typeof d.message, "string");
    assert.ok(Number.isInteger(d.line) && d.line >= 1, `line ${d.line}`);
    assert.ok(
      Number.isInteger(d.column) && d.column >= 1,
      `column ${d.column}`,
    );
  }
  return diagnostics as Diagnostic[];
}

type Outcome = "rejected" | "invalid" | "valid";

/** Runs one input through parse, validate and format; throws on any broken promise. */
function exercise(text: string): Outcome {
  let doc: XmlDocument;
  try {
    doc = parse(text);
  } catch (error) {
    if (!(error instanceof XmlParseError)) throw error;
    assert.ok(error.line >= 1 && error.column >= 1, error.message);
    return "rejected";
  }
  const diagnostics = checkDiagnostics(validate(doc));
  const once = format(doc);
  assert.equal(typeof once, "string");
  if (diagnostics.some((d) => d.severity === "error")) return "invalid";
  const again = format(parse(once));
  if (again !== once) {
    throw new assert.AssertionError({
      message: "format() is not idempotent",
      actual: again,
      expected: once,
    });
  }
  return "valid";
}

function preview(text: string): string {
  const shown = text.length > 400
    ? `${text.slice(0, 300)}…(${text.length} chars)…${text.slice(-100)}`
    : text;
  return JSON.stringify(shown);
}

Deno.test(`parse, validate and format survive ${RUNS} mutated documents (seed ${SEED})`, () => {
  assert.ok(corpus.length > 0, "no .xml files in testdata/");
  const counts: Record<Outcome, number> = { rejected: 0, invalid: 0, valid: 0 };
  const failures: string[] = [];
  let slowest = { index: -1, ms: 0 };
  const started = performance.now();
  const indices = ONLY === undefined
    ? Array.from({ length: RUNS }, (_, i) => i)
    : [Number(ONLY)];
  for (const index of indices) {
    const { text, steps } = mutate(index);
    const t0 = performance.now();
    try {
      counts[exercise(text)]++;
    } catch (error) {
      failures.push(
        `seed ${SEED} input ${index} (${steps.join(" → ")}): ${
          error instanceof Error ? `${error.name}: ${error.message}` : error
        }\n  input: ${preview(text)}\n  replay: PASSTKIT_FUZZ_SEED=${SEED} ` +
          `PASSTKIT_FUZZ_INDEX=${index} deno test -A packages/xml/fuzz_test.ts`,
      );
    }
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { index, ms };
  }
  console.log(
    `fuzz seed ${SEED}: ${indices.length} inputs in ${
      Math.round(performance.now() - started)
    } ms: ${counts.rejected} rejected by parse, ${counts.invalid} with errors, ` +
      `${counts.valid} valid; slowest input ${slowest.index} took ${
        slowest.ms.toFixed(1)
      } ms`,
  );
  if (failures.length > 0) {
    assert.fail(
      `${failures.length} of ${indices.length} inputs broke a promise:\n` +
        failures.slice(0, 5).join("\n"),
    );
  }
  assert.ok(
    slowest.ms < MAX_MS_PER_INPUT,
    `seed ${SEED} input ${slowest.index} took ${slowest.ms.toFixed(0)} ms`,
  );
  if (ONLY === undefined) {
    // the mutations must leave both readable and unreadable documents
    assert.ok(counts.rejected > RUNS / 10, "too few inputs rejected");
    assert.ok(counts.valid + counts.invalid > RUNS / 10, "too few parsed");
  }
});

// ---------------------------------------------------------------------------
// Entities: never expanded, never fetched.

let passwd = "";
try {
  passwd = Deno.readTextFileSync("/etc/passwd");
} catch {
  // no /etc/passwd to leak; the tests still check the rejection
}
const passwdLine = passwd.split("\n").find((l) => l.includes(":")) ??
  "root:x:0:0";

function assertRejectedWithoutLeak(text: string): XmlParseError {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof XmlParseError, String(error));
    assert.ok(!error.message.includes(passwdLine), "error quotes /etc/passwd");
    return error;
  }
  assert.fail("parse() accepted the document");
}

const laughs = [
  `<!ENTITY lol "lol">`,
  ...Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`,
  ),
].join("\n  ");

Deno.test("parse() rejects a billion-laughs entity bomb with XmlParseError", () => {
  for (
    const root of [
      "<interface type='user'>&lol9;</interface>",
      "<interface type='user'><backend type='passt' logFile='/tmp/&lol9;'/></interface>",
      "<domain><devices><interface type='user'>&lol9;</interface></devices></domain>",
    ]
  ) {
    const error = assertRejectedWithoutLeak(`<?xml version="1.0"?>
<!DOCTYPE lolz [
  ${laughs}
]>
${root}`);
    assert.match(error.reason, /internal subset/);
  }
});

Deno.test("parse() rejects a quadratic-blowup entity with XmlParseError", () => {
  const big = "a".repeat(100_000);
  assertRejectedWithoutLeak(
    `<!DOCTYPE interface [<!ENTITY a "${big}">]><interface type='user'>${
      "&a;".repeat(10_000)
    }</interface>`,
  );
});

Deno.test("parse() rejects external entities and never reads the file", () => {
  assertRejectedWithoutLeak(
    `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><interface type='user'>&e;</interface>`,
  );
  assertRejectedWithoutLeak(
    `<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><interface type='user'/>`,
  );
  assertRejectedWithoutLeak(
    `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<interface type='user'><backend type='passt' logFile='&e;'/></interface>`,
  );
  // a SYSTEM-only DOCTYPE declares no entity: &e; is undefined
  const error = assertRejectedWithoutLeak(
    `<!DOCTYPE interface SYSTEM "file:///etc/passwd"><interface type='user'>&e;</interface>`,
  );
  assert.match(error.reason, /entity/i);
  // a `>` inside the system literal must not hide the internal subset
  assertRejectedWithoutLeak(
    `<!DOCTYPE x SYSTEM "a>b" [<!ENTITY e SYSTEM "file:///etc/passwd">]><interface type='user'>&e;</interface>`,
  );
});

Deno.test("parse() accepts a SYSTEM-only DOCTYPE without reading the file it names", () => {
  const text =
    `<!DOCTYPE interface SYSTEM "file:///etc/passwd"><interface type='user'><backend type='passt' logFile='/tmp/l'/></interface>`;
  const doc = parse(text);
  assert.equal(doc.text, text);
  assert.equal(doc.interfaces[0]?.backend?.logFile, "/tmp/l");
  assert.ok(!format(doc).includes(passwdLine));
  assert.ok(!JSON.stringify(validate(doc)).includes(passwdLine));
});
