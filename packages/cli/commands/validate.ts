/**
 * `passtkit validate [--json] FILE...`
 *
 * @module
 */

import {
  type Command,
  type CommandContext,
  InputOutputError,
  jsonLine,
  UsageError,
} from "../_command.ts";
import {
  diagnosticJson,
  hasErrors,
  loadDocument,
  printDiagnostics,
} from "../_document.ts";

async function run(
  { values, positionals, io }: CommandContext,
): Promise<number> {
  if (positionals.length === 0) {
    throw new UsageError(
      "validate: no FILE given; see 'passtkit validate --help'",
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
    const invalid = hasErrors(loaded.diagnostics);
    if (invalid && code === 0) code = 1;
    if (values.json) {
      io.out(jsonLine({
        file: loaded.name,
        valid: !invalid,
        diagnostics: loaded.diagnostics.map(diagnosticJson),
      }));
    } else {
      printDiagnostics(io, loaded.name, loaded.diagnostics, io.out);
    }
  }
  return code;
}

/** The `validate` command. */
export const command: Command = {
  name: "validate",
  summary: "check XML files against libvirt's and passt's rules",
  usage: "validate [--json] FILE...",
  description:
    "Prints every problem as FILE:LINE:COLUMN: error|warning: MESSAGE, using libvirt's\n" +
    "own message where libvirt has one. Exit status: 0 when no file has an error\n" +
    "(warnings allowed), 1 when any has, 2 for usage or I/O errors.",
  options: {
    json: {
      type: "boolean",
      help: 'one JSON object per file: {"file", "valid", "diagnostics": [...]}',
    },
  },
  examples: ["validate examples/seed.xml", "validate --json examples/*.xml"],
  run,
};
