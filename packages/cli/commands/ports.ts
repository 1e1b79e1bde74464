/**
 * `passtkit ports [OPTIONS] FILE...` and `passtkit ports --spec SPEC [OPTIONS]`.
 *
 * @module
 */

import {
  checkForwards,
  effectiveMap,
  explainForward,
  formatForward,
  type MapInterval,
  parseSpec,
  type PasstTarget,
  PortSpecError,
  type Protocol,
} from "@passtkit/ports";
import {
  type Command,
  type CommandContext,
  type CommandIo,
  jsonLine,
  stringOption,
  TARGET_OPTION,
  targetOf,
  UsageError,
} from "../_command.ts";
import type { Diagnostic, passtForwards, SourcePosition } from "@passtkit/xml";
import type {
  diagnosticJson,
  diagnosticLine,
  LoadedDocument,
} from "../_document.ts";

/** What the FILE form needs from modules it loads only when a FILE is given. */
interface FileHelpers {
  readonly diagnosticLine: typeof diagnosticLine;
  readonly diagnosticJson: typeof diagnosticJson;
  readonly passtForwards: typeof passtForwards;
}

function mapJson(map: readonly MapInterval[]) {
  return map.map(({ hostStart, hostEnd, guestStart, guestEnd }) => ({
    hostStart,
    hostEnd,
    guestStart,
    guestEnd,
  }));
}

function ports(start: number, end: number): string {
  return start === end ? `${start}` : `${start}-${end}`;
}

function mapLines(map: readonly MapInterval[], indent: string): string[] {
  if (map.length === 0) return [`${indent}(no port is forwarded)`];
  return map.map((i) =>
    `${indent}host ${ports(i.hostStart, i.hostEnd)} → guest ${
      ports(i.guestStart, i.guestEnd)
    }`
  );
}

function runSpec(
  spec: string,
  values: CommandContext["values"],
  io: CommandIo,
  target: PasstTarget,
): number {
  const proto = stringOption(values, "proto") ?? "tcp";
  if (proto !== "tcp" && proto !== "udp") {
    throw new UsageError(`ports: --proto must be tcp or udp, not '${proto}'`);
  }
  let parsed;
  try {
    parsed = parseSpec(spec, { proto: proto as Protocol, target });
  } catch (error) {
    if (!(error instanceof PortSpecError)) throw error;
    if (values.json) {
      io.out(jsonLine({
        spec,
        proto,
        target,
        error: {
          message: error.message,
          offset: error.offset,
          item: error.item,
        },
      }));
    } else {
      io.err(`passtkit: ports: ${error.message}\n`);
    }
    return 1;
  }
  const forward = parsed.forward;
  const map = parsed.mode === "none" ? [] : effectiveMap(forward, { target });
  const explanation = parsed.mode === "none"
    ? [`no incoming ${proto} port is forwarded`]
    : explainForward(forward, { target });
  // What the grammar accepts but passtkit still counts as an error, e.g.
  // port 0, which passt 2023 binds as a random port.
  const problems = parsed.mode === "none"
    ? []
    : checkForwards([forward], { target });
  const code = problems.some((p) => p.severity === "error") ? 1 : 0;
  if (values.json) {
    io.out(jsonLine({
      spec,
      proto,
      target,
      mode: parsed.mode,
      address: forward.address ?? null,
      dev: forward.dev ?? null,
      ranges: forward.ranges,
      explanation,
      map: mapJson(map),
      problems: problems.map((
        { code, severity, message, range, attribute },
      ) => ({
        code,
        severity,
        message,
        ...(range === undefined ? {} : { range }),
        ...(attribute === undefined ? {} : { attribute }),
      })),
    }));
    return code;
  }
  io.out(
    [
      ...explanation.map((sentence) => sentence + "."),
      ...mapLines(map, "  "),
      // A problem the explanation already states is not repeated.
      ...problems.filter((p) => !explanation.includes(p.message)).map((p) =>
        `${p.severity}: ${p.message}`
      ),
      "",
    ].join("\n"),
  );
  return code;
}

// Problems about ports that two ranges cause together: each range is
// valid on its own, so the forward still has a map to show.
const TOGETHER = new Set([
  "overlap",
  "overlap-across-forwards",
  "overlap-across-interfaces",
]);

/** Offsets of line starts, to place a diagnostic inside an element. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

/**
 * The port maps of one file, with `validate`'s diagnostics: every error (any
 * error stops libvirt or passt), and the warnings inside a `<portForward>`.
 */
function portsOfDocument(
  loaded: LoadedDocument,
  values: CommandContext["values"],
  io: CommandIo,
  target: PasstTarget,
  // Passed in: this module loads them only when a FILE is given, not for --spec.
  { diagnosticLine, diagnosticJson, passtForwards }: FileHelpers,
): number {
  const { doc, name, diagnostics } = loaded;
  const code = diagnostics.some((d) => d.severity === "error") ? 1 : 0;
  if (!doc) {
    // Not well-formed: the one diagnostic is the parser's.
    if (values.json) {
      io.out(jsonLine({
        file: name,
        alias: null,
        forwards: [],
        problems: diagnostics.map(diagnosticJson),
      }));
    } else {
      for (const d of diagnostics) {
        io.out(diagnosticLine(name, d, io.color) + "\n");
      }
    }
    return code;
  }

  const starts = lineStarts(doc.text);
  const inside = (
    d: SourcePosition,
    element: { readonly start: number; readonly end: number },
  ) => {
    const offset = (starts[d.line - 1] ?? 0) + d.column - 1;
    return offset >= element.start && offset < element.end;
  };
  const shown = diagnostics.filter((d) =>
    d.severity === "error" ||
    (d.interface !== undefined &&
      (doc.interfaces[d.interface]?.portForwards ?? []).some((f) =>
        inside(d, f.source)
      ))
  );

  const entries = passtForwards(doc);
  const passtIndexes = new Set(entries.map((e) => e.interface));
  for (const entry of entries) {
    const iface = doc.interfaces[entry.interface]!;
    const mine = shown.filter((d) => d.interface === entry.interface);
    const forwards = entry.forwards.map(({ forward, def }) => {
      // Map only forwards whose every range is valid (libvirt's and passt's rules).
      const broken = mine.some((d) =>
        d.severity === "error" && !TOGETHER.has(d.code) &&
        def.ranges.some((range) => inside(d, range.source))
      );
      return {
        proto: forward.proto,
        address: forward.address ?? null,
        dev: forward.dev ?? null,
        spec: formatForward(forward),
        map: broken ? null : mapJson(effectiveMap(forward, { target })),
      };
    });
    const problemJson = (d: Diagnostic) => {
      const f = entry.forwards.findIndex((item) => inside(d, item.def.source));
      const ranges = entry.forwards[f]?.def.ranges ?? [];
      const r = ranges.findIndex((range) => inside(d, range.source));
      return {
        ...diagnosticJson(d),
        ...(f < 0 ? {} : { forward: f }),
        ...(r < 0 ? {} : { range: r }),
      };
    };
    if (values.json) {
      io.out(jsonLine({
        file: name,
        alias: entry.alias,
        forwards,
        problems: mine.map(problemJson),
      }));
      continue;
    }
    const lines = [`${name}: interface ${entry.alias}`];
    if (iface.portForwards.length === 0) lines.push("  no <portForward>");
    else if (forwards.length === 0) {
      lines.push("  no <portForward> that libvirt accepts");
    }
    for (const forward of forwards) {
      lines.push(`  ${forward.proto} ${forward.spec}`);
      if (forward.map === null) {
        lines.push("    (no map: a <range> of this <portForward> is invalid)");
      } else {
        lines.push(...mapLines(forward.map, "    "));
      }
    }
    // Forwards libvirt cannot read (bad proto or address) have no spec; when
    // none can be read, the line above says so.
    for (const def of forwards.length > 0 ? iface.portForwards : []) {
      if (entry.forwards.some((item) => item.def === def)) continue;
      lines.push(
        `  <portForward> at line ${def.source.line}: no map (libvirt cannot read it; see below)`,
      );
    }
    for (const d of mine) lines.push(diagnosticLine(name, d, io.color));
    io.out(lines.join("\n") + "\n");
  }

  // Errors outside the passt interfaces (e.g. a passt backend on a bridge).
  const rest = shown.filter((d) =>
    d.interface === undefined || !passtIndexes.has(d.interface)
  );
  if (values.json) {
    if (rest.length > 0) {
      io.out(jsonLine({
        file: name,
        alias: null,
        forwards: [],
        problems: rest.map(diagnosticJson),
      }));
    }
    return code;
  }
  if (entries.length === 0) {
    io.out(`${name}: no interface that libvirt runs passt for\n`);
  }
  for (const d of rest) io.out(diagnosticLine(name, d, io.color) + "\n");
  return code;
}

async function run(
  { values, positionals, io }: CommandContext,
): Promise<number> {
  const target = targetOf(values, "ports");
  const spec = stringOption(values, "spec");
  if (spec !== undefined) {
    if (positionals.length > 0) {
      throw new UsageError("ports: give either --spec or FILE..., not both");
    }
    return runSpec(spec, values, io, target);
  }
  if (values.proto !== undefined) {
    throw new UsageError("ports: --proto goes with --spec");
  }
  if (positionals.length === 0) {
    throw new UsageError(
      "ports: no FILE or --spec given; see 'passtkit ports --help'",
    );
  }
  const json = values.json === true;
  const [
    { diagnosticJson, diagnosticLine, forEachDocument },
    { passtForwards },
  ] = await Promise.all([import("../_document.ts"), import("@passtkit/xml")]);
  return await forEachDocument(
    positionals,
    io,
    { command: "ports", json, target },
    (loaded) =>
      portsOfDocument(loaded, values, io, target, {
        diagnosticLine,
        diagnosticJson,
        passtForwards,
      }),
  );
}

/** The `ports` command. */
export const command: Command = {
  name: "ports",
  summary: "show which host ports each passt forward really forwards",
  usage: "ports [OPTIONS] FILE... | ports --spec SPEC [OPTIONS]",
  description:
    "For every passt interface of each FILE, prints the effective host → guest port\n" +
    "map of each <portForward> whose ranges are all valid, then, as\n" +
    "FILE:LINE:COLUMN: SEVERITY: MESSAGE, every error 'passtkit validate' finds and\n" +
    "its warnings inside a <portForward>.\n" +
    "With --spec, explains a passt -t/-u spec in plain English instead.\n" +
    "Exit status: 0 when no problem is an error, 1 when one is (or the spec is\n" +
    "invalid), 2 for usage or I/O errors.",
  options: {
    json: {
      type: "boolean",
      help:
        'JSON Lines: {"file", "alias", "forwards": [{"proto", "address", "dev", "spec", "map"}], "problems"} ("map" is null for a forward with an invalid range), or {"file", "error"} for a file that cannot be read',
    },
    spec: {
      type: "string",
      value: "SPEC",
      help: "explain a passt port spec, e.g. '127.0.0.1/2022:22'",
    },
    proto: {
      type: "string",
      value: "tcp|udp",
      help: "protocol of --spec (default tcp)",
    },
    target: TARGET_OPTION,
  },
  examples: [
    "ports examples/seed.xml",
    "ports --spec '10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029'",
  ],
  run,
};
