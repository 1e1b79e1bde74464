/**
 * `passtkit format [--in-place] FILE...`
 *
 * @module
 */

import { dirname } from "node:path";
import { format } from "@passtkit/xml";
import {
  type Command,
  type CommandContext,
  describeError,
  InputOutputError,
  UsageError,
} from "../_command.ts";
import { hasErrors, loadDocument, printDiagnostics } from "../_document.ts";

/** Writes `text` to `file` through a temporary file and a rename, keeping the file's mode. */
async function writeAtomically(file: string, text: string): Promise<void> {
  let mode: number | null = null;
  try {
    mode = (await Deno.stat(file)).mode;
  } catch {
    // a new file keeps the default mode
  }
  const temp = await Deno.makeTempFile({
    dir: dirname(file) || ".",
    prefix: ".passtkit-format-",
    suffix: ".tmp",
  });
  try {
    await Deno.writeTextFile(temp, text);
    if (mode !== null) await Deno.chmod(temp, mode & 0o7777);
    await Deno.rename(temp, file);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

async function run(
  { values, positionals, io }: CommandContext,
): Promise<number> {
  if (positionals.length === 0) {
    throw new UsageError("format: no FILE given; see 'passtkit format --help'");
  }
  const inPlace = values["in-place"] === true;
  if (!inPlace && positionals.length > 1) {
    throw new UsageError(
      "format: more than one FILE needs --in-place (standard output takes one file)",
    );
  }
  if (inPlace && positionals.includes("-")) {
    throw new UsageError("format: --in-place cannot rewrite standard input");
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
      io.err(
        `passtkit: ${loaded.name}: not formatted: fix the errors above first\n`,
      );
      if (code === 0) code = 1;
      continue;
    }
    const text = format(loaded.doc);
    if (!inPlace) {
      io.out(text);
      continue;
    }
    if (text === loaded.text) continue;
    try {
      await writeAtomically(file, text);
    } catch (error) {
      io.err(`passtkit: ${file}: cannot write: ${describeError(error)}\n`);
      code = 2;
    }
  }
  return code;
}

/** The `format` command. */
export const command: Command = {
  name: "format",
  summary: "rewrite interfaces in libvirt's canonical form",
  usage: "format [--in-place] FILE...",
  description:
    "Writes the document with every passt and type='user' interface as libvirt writes it\n" +
    "back (element and attribute order, single quotes, defaults omitted); every other\n" +
    "byte stays as it was. Without --in-place the result goes to standard output (one\n" +
    "FILE). With --in-place each file is replaced atomically; an invalid or unreadable\n" +
    "file is left untouched and reported.",
  options: {
    "in-place": {
      type: "boolean",
      short: "i",
      help: "rewrite each FILE atomically instead of printing",
    },
  },
  examples: ["format examples/seed.xml", "format --in-place vm.xml"],
  run,
};
