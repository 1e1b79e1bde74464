/**
 * `passtkit validate [OPTIONS] FILE...`
 *
 * @module
 */

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
  const target = targetOf(values, "validate");
  return forEachDocument(
    positionals,
    io,
    { command: "validate", json, target },
    (loaded) => {
      const invalid = hasErrors(loaded.diagnostics);
      if (json) {
        io.out(jsonLine({
          file: loaded.name,
          valid: !invalid,
          diagnostics: loaded.diagnostics.map(diagnosticJson),
        }));
      } else {
        // The diagnostics are this command's output.
        printDiagnostics(io, loaded.name, loaded.diagnostics, "out");
      }
      return invalid ? 1 : 0;
    },
  );
}

/** The `validate` command. */
export const command: Command = {
  name: "validate",
  summary: "check XML files against libvirt's and passt's rules",
  usage: "validate [OPTIONS] FILE...",
  description:
    "Prints every problem as FILE:LINE:COLUMN: error|warning: MESSAGE on standard\n" +
    "output, using libvirt's own message where libvirt has one. Exit status: 0 when\n" +
    "no file has an error (warnings allowed), 1 when any has, 2 for usage or I/O\n" +
    "errors.",
  options: {
    json: {
      type: "boolean",
      help:
        'one JSON object per file: {"file", "valid", "diagnostics": [...]}, or {"file", "error"} when it cannot be read',
    },
    target: TARGET_OPTION,
  },
  examples: ["validate examples/seed.xml", "validate --json examples/*.xml"],
  run,
};
