/**
 * `passtkit explain [OPTIONS] FILE...`
 *
 * @module
 */

import { explainInterface, interfaceAliases } from "@passtkit/xml";
import {
  type Command,
  type CommandContext,
  jsonLine,
  TARGET_OPTION,
  targetOf,
} from "../_command.ts";
import {
  diagnosticJson,
  forEachDocument,
  hasErrors,
  printDiagnostics,
} from "../_document.ts";

function run({ values, positionals, io }: CommandContext): Promise<number> {
  const json = values.json === true;
  const target = targetOf(values, "explain");
  return forEachDocument(
    positionals,
    io,
    { command: "explain", json, target },
    ({ doc, name, diagnostics }) => {
      const invalid = !doc || hasErrors(diagnostics);
      if (json && invalid) {
        io.out(jsonLine({
          file: name,
          diagnostics: diagnostics.map(diagnosticJson),
        }));
      }
      if (invalid) {
        if (!json) printDiagnostics(io, name, diagnostics);
        return 1;
      }
      // Warnings, also under --json (standard output stays JSON): they say
      // how the file is read (`upstream` becomes `<source dev>`).
      printDiagnostics(io, name, diagnostics);
      if (doc.interfaces.length === 0) {
        // Under --json no record is printed, so the note goes to stderr.
        const note = `${name}: no <interface> elements\n`;
        if (json) io.err(`passtkit: ${note}`);
        else io.out(note);
        return 0;
      }
      const aliases = interfaceAliases(doc);
      for (const iface of doc.interfaces) {
        const alias = aliases[iface.index] as string;
        const facts = explainInterface(iface);
        if (json) {
          io.out(jsonLine({
            file: name,
            alias,
            type: iface.type,
            line: iface.source.line,
            facts,
          }));
          continue;
        }
        io.out(
          `${name}:${iface.source.line}: interface ${alias} (type '${iface.type}'):\n`,
        );
        for (const fact of facts) io.out(`  - ${fact}\n`);
      }
      return 0;
    },
  );
}

/** The `explain` command. */
export const command: Command = {
  name: "explain",
  summary: "say in plain English what each interface does",
  usage: "explain [OPTIONS] FILE...",
  description:
    "Prints one line per fact for every interface: the address the guest is offered,\n" +
    "logging, routes, names, MTU and every port-forwarding rule, with the exclusions\n" +
    "applied. Warnings go to standard error. Invalid files are reported as by\n" +
    "'passtkit validate', on standard error (exit status 1).",
  options: {
    json: {
      type: "boolean",
      help:
        'one JSON object per interface: {"file", "alias", "type", "line", "facts"}; {"file", "diagnostics"} for an invalid file, {"file", "error"} for one that cannot be read',
    },
    target: TARGET_OPTION,
  },
  examples: ["explain examples/seed.xml"],
  run,
};
