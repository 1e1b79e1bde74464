/**
 * `passtkit explain [--json] FILE...`
 *
 * @module
 */

import { explainInterface } from "@passtkit/xml";
import {
  type Command,
  type CommandContext,
  InputOutputError,
  jsonLine,
  UsageError,
} from "../_command.ts";
import { hasErrors, loadDocument, printDiagnostics } from "../_document.ts";

async function run(
  { values, positionals, io }: CommandContext,
): Promise<number> {
  if (positionals.length === 0) {
    throw new UsageError(
      "explain: no FILE given; see 'passtkit explain --help'",
    );
  }
  let code = 0;
  for (const file of positionals) {
    let loaded;
    try {
      loaded = await loadDocument(file, io);
    } catch (error) {
      if (!(error instanceof InputOutputError)) throw error;
      io.err(`passtkit: ${error.message}\n`);
      code = 2;
      continue;
    }
    if (!loaded.doc || hasErrors(loaded.diagnostics)) {
      printDiagnostics(
        io,
        loaded.name,
        loaded.diagnostics.filter((d) => d.severity === "error"),
      );
      if (code === 0) code = 1;
      continue;
    }
    if (loaded.doc.interfaces.length === 0 && !values.json) {
      io.out(`${loaded.name}: no <interface> elements\n`);
    }
    for (const iface of loaded.doc.interfaces) {
      const alias = iface.alias ?? `net${iface.index}`;
      const facts = explainInterface(iface);
      if (values.json) {
        io.out(jsonLine({
          file: loaded.name,
          alias,
          type: iface.type,
          line: iface.source.line,
          facts,
        }));
        continue;
      }
      io.out(
        `${loaded.name}:${iface.source.line}: interface ${alias} (type '${iface.type}'):\n`,
      );
      for (const fact of facts) io.out(`  - ${fact}\n`);
    }
  }
  return code;
}

/** The `explain` command. */
export const command: Command = {
  name: "explain",
  summary: "say in plain English what each interface does",
  usage: "explain [--json] FILE...",
  description:
    "Prints one line per fact for every interface: the address the guest is offered,\n" +
    "logging, routes, names, MTU and every port-forwarding rule, with the exclusions\n" +
    "applied. Invalid files are reported as by 'passtkit validate' (exit status 1).",
  options: {
    json: {
      type: "boolean",
      help:
        'one JSON object per interface: {"file", "alias", "type", "line", "facts"}',
    },
  },
  examples: ["explain examples/seed.xml"],
  run,
};
