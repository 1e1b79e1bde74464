/**
 * `passtkit import [OPTIONS] -- passt ARGS...`
 *
 * @module
 */

import { parsePasstArgv } from "@passtkit/args";
import {
  type Command,
  type CommandContext,
  jsonLine,
  TARGET_OPTION,
  targetOf,
  UsageError,
} from "../_command.ts";
import { diagnosticJson } from "../_document.ts";

function optionText(option: string | undefined, value?: string): string {
  if (option === undefined) return "";
  return value === undefined ? `'${option}'` : `'${option} ${value}'`;
}

function run({ values, positionals, io }: CommandContext): Promise<number> {
  if (positionals.length === 0) {
    throw new UsageError(
      "import: no passt command given; write it after '--': passtkit import -- passt -t 2022:22",
    );
  }
  if (positionals.length === 1 && /\s/.test(positionals[0] as string)) {
    throw new UsageError(
      "import: give the command as separate words, not one quoted string: passtkit import -- passt -t 2022:22",
    );
  }
  const target = targetOf(values, "import");
  const result = parsePasstArgv(positionals, { target });
  const invalid = result.errors.length > 0 ||
    result.diagnostics.some((d) => d.severity === "error");
  if (values.json === true) {
    io.out(jsonLine({
      xml: invalid ? null : result.xml,
      runtime: result.runtime,
      unsupported: result.unsupported,
      errors: result.errors,
      diagnostics: result.diagnostics.map(diagnosticJson),
    }));
    return Promise.resolve(invalid ? 1 : 0);
  }
  for (const note of result.runtime) {
    io.err(
      `passtkit: note: ${
        optionText(note.option, note.value)
      } is not part of the XML: ${note.reason}\n`,
    );
  }
  for (const note of result.unsupported) {
    io.err(
      `passtkit: warning: ${
        optionText(note.option, note.value)
      } left out: ${note.reason}\n`,
    );
  }
  for (const error of result.errors) {
    io.err(`passtkit: error: ${error.message}\n`);
  }
  // Warnings about XML that is not printed would only distract.
  for (const d of result.diagnostics) {
    if (invalid && d.severity === "warning") continue;
    io.err(`passtkit: ${d.severity}: ${d.message}\n`);
  }
  if (invalid) {
    io.err("passtkit: no XML: fix the errors above first\n");
    return Promise.resolve(1);
  }
  io.out(result.xml);
  return Promise.resolve(0);
}

/** The `import` command. */
export const command: Command = {
  name: "import",
  summary: "print the <interface> XML for a passt command line",
  usage: "import [OPTIONS] -- passt ARGS...",
  description:
    "Reads an existing passt command line (long or short options, as passt reads\n" +
    "them) and prints the libvirt <interface type='user'> with <backend\n" +
    "type='passt'/> that gives the same passt. Options chosen at run time\n" +
    "(--socket, --pid, --one-off, --foreground) and options with no XML\n" +
    "equivalent are listed on standard error, never dropped silently. Port specs\n" +
    "are read, and the XML checked, by the rules of the --target passt. Exit\n" +
    "status: 0 ok, 1 when passt would refuse the command line or the XML would be\n" +
    "invalid, 2 for usage errors.",
  options: {
    json: {
      type: "boolean",
      help:
        'one JSON object: {"xml" (null when invalid), "runtime", "unsupported", "errors", "diagnostics"}',
    },
    target: TARGET_OPTION,
  },
  examples: [
    "import -- passt -f -t 10.0.0.1%eth0/2022:22 -u 10101 -a 192.168.221.122",
    "import --target 2026 --json -- passt -t 127.0.0.1/all",
  ],
  unknownOptionHint:
    "put '--' before the passt command line: passtkit import -- passt ...",
  run,
};
