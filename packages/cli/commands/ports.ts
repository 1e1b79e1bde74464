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
  type PortForward,
  type PortProblem,
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
import type { interfaceAliases } from "@passtkit/args";
import type { diagnosticLine, LoadedDocument } from "../_document.ts";

/** What the FILE form needs from modules it loads only when a FILE is given. */
interface FileHelpers {
  readonly diagnosticLine: typeof diagnosticLine;
  readonly interfaceAliases: typeof interfaceAliases;
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
      io.err(`passtkit: ${error.message}\n`);
    }
    return 1;
  }
  const forward = parsed.forward;
  const map = parsed.mode === "none" ? [] : effectiveMap(forward, { target });
  const explanation = parsed.mode === "none"
    ? [`no incoming ${proto} port is forwarded`]
    : explainForward(forward, { target });
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
    }));
    return 0;
  }
  io.out(
    [
      ...explanation.map((sentence) => sentence + "."),
      ...mapLines(map, "  "),
      "",
    ].join("\n"),
  );
  return 0;
}

interface ForwardEntry {
  readonly forward: PortForward;
  readonly alias: string;
  readonly source: {
    readonly line: number;
    readonly column: number;
    readonly ranges: readonly {
      readonly line: number;
      readonly column: number;
      readonly attributes: Readonly<
        Record<string, { readonly line: number; readonly column: number }>
      >;
    }[];
  };
}

/** The port maps and problems of one file; validation's own diagnostics are `validate`'s. */
function portsOfDocument(
  loaded: LoadedDocument,
  values: CommandContext["values"],
  io: CommandIo,
  target: PasstTarget,
  // Passed in: this module loads them only when a FILE is given, not for --spec.
  { diagnosticLine, interfaceAliases }: FileHelpers,
): number {
  const { doc, name } = loaded;
  if (!doc) {
    // Not well-formed: the one diagnostic is the parser's.
    const malformed = loaded.diagnostics[0]!;
    if (values.json) {
      io.out(jsonLine({
        file: name,
        alias: null,
        forwards: [],
        problems: [{
          code: malformed.code,
          severity: malformed.severity,
          message: malformed.message,
          line: malformed.line,
          column: malformed.column,
        }],
      }));
    } else {
      io.out(diagnosticLine(name, malformed, io.color) + "\n");
    }
    return 1;
  }

  const aliases = interfaceAliases(doc);
  const interfaces: { alias: string; entries: ForwardEntry[] }[] = [];
  const all: ForwardEntry[] = [];
  for (const iface of doc.interfaces) {
    if (iface.backend?.type !== "passt") continue;
    const alias = aliases[iface.index] as string;
    const entries: ForwardEntry[] = [];
    for (const def of iface.portForwards) {
      // An invalid proto is reported by `passtkit validate`; there is no map to show.
      if (def.proto === undefined) continue;
      const forward: PortForward = {
        proto: def.proto,
        ...(def.address !== undefined ? { address: def.address } : {}),
        ...(def.dev !== undefined ? { dev: def.dev } : {}),
        ranges: def.ranges.map(({ start, end, to, exclude }) => ({
          ...(start !== undefined ? { start } : {}),
          ...(end !== undefined ? { end } : {}),
          ...(to !== undefined ? { to } : {}),
          ...(exclude !== undefined ? { exclude } : {}),
        })),
      };
      const entry: ForwardEntry = {
        forward,
        alias,
        source: {
          line: def.source.line,
          column: def.source.column,
          ranges: def.ranges.map((range) => range.source),
        },
      };
      entries.push(entry);
      all.push(entry);
    }
    interfaces.push({ alias, entries });
  }

  const problems = checkForwards(all.map((e) => e.forward), {
    target,
    groups: all.map((e) => e.alias),
  });
  const position = (problem: PortProblem) => {
    const entry = all[problem.forward] as ForwardEntry;
    const range = problem.range === undefined
      ? undefined
      : entry.source.ranges[problem.range];
    const attribute = problem.attribute && range?.attributes[problem.attribute];
    return attribute ?? range ?? entry.source;
  };
  const problemJson = (problem: PortProblem) => {
    const { line, column } = position(problem);
    return { ...problem, line, column };
  };

  let code = 0;
  if (problems.some((p) => p.severity === "error")) code = 1;
  for (const { alias, entries } of interfaces) {
    const mine = problems.filter((p) => all[p.forward]?.alias === alias);
    const forwards = entries.map((entry) => ({
      proto: entry.forward.proto,
      address: entry.forward.address ?? null,
      dev: entry.forward.dev ?? null,
      spec: formatForward(entry.forward),
      map: mapJson(effectiveMap(entry.forward, { target })),
    }));
    if (values.json) {
      io.out(jsonLine({
        file: name,
        alias,
        forwards,
        problems: mine.map(problemJson),
      }));
      continue;
    }
    const lines = [`${name}: interface ${alias}`];
    if (forwards.length === 0) lines.push("  no <portForward>");
    for (const forward of forwards) {
      lines.push(`  ${forward.proto} ${forward.spec}`);
      lines.push(...mapLines(forward.map, "    "));
    }
    for (const problem of mine) {
      const { line, column } = position(problem);
      lines.push(diagnosticLine(name, { ...problem, line, column }, io.color));
    }
    io.out(lines.join("\n") + "\n");
  }
  if (interfaces.length === 0 && !values.json) {
    io.out(`${name}: no interface with <backend type='passt'/>\n`);
  }
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
  const [{ diagnosticLine, forEachDocument }, { interfaceAliases }] =
    await Promise.all([import("../_document.ts"), import("@passtkit/args")]);
  return await forEachDocument(
    positionals,
    io,
    { command: "ports", json, target },
    (loaded) =>
      portsOfDocument(loaded, values, io, target, {
        diagnosticLine,
        interfaceAliases,
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
    "map of each <portForward> and every port problem as FILE:LINE:COLUMN: error: MESSAGE.\n" +
    "With --spec, explains a passt -t/-u spec in plain English instead.\n" +
    "Exit status: 0 when no problem is an error, 1 when one is (or the spec is\n" +
    "invalid), 2 for usage or I/O errors.",
  options: {
    json: {
      type: "boolean",
      help:
        'JSON Lines: {"file", "alias", "forwards": [{"proto", "address", "dev", "map"}], "problems"}, or {"file", "error"} for a file that cannot be read',
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
