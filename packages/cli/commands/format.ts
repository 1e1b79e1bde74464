/**
 * `passtkit format [OPTIONS] FILE...`
 *
 * @module
 */

import { dirname } from "node:path";
import { format } from "@passtkit/xml";
import {
  type Command,
  type CommandContext,
  describeError,
  TARGET_OPTION,
  targetOf,
  UsageError,
} from "../_command.ts";
import { forEachDocument, hasErrors, printDiagnostics } from "../_document.ts";

/**
 * Replaces `file` with `text` through a temporary file and a rename. A
 * symbolic link is written through (its target is replaced, the link stays),
 * and the file keeps its mode and, where the user may set them, its owner
 * and group.
 */
async function writeInPlace(file: string, text: string): Promise<void> {
  let target = file;
  let info: Deno.FileInfo | undefined;
  try {
    target = await Deno.realPath(file);
    info = await Deno.stat(target);
  } catch {
    // a new file gets the defaults
  }
  const temp = await Deno.makeTempFile({
    dir: dirname(target) || ".",
    prefix: ".passtkit-format-",
    suffix: ".tmp",
  });
  try {
    await Deno.writeTextFile(temp, text);
    if (info?.mode != null) await Deno.chmod(temp, info.mode & 0o7777);
    if (info?.uid != null && info.gid != null) {
      // Root keeps any owner; others can keep at most a group they are in,
      // as GNU sed -i does, and otherwise the file becomes theirs.
      await Deno.chown(temp, info.uid, info.gid).catch(() =>
        Deno.chown(temp, null, info.gid).catch(() => {})
      );
      // chown clears the set-id bits; set the mode again.
      if (info.mode != null) await Deno.chmod(temp, info.mode & 0o7777);
    }
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

function run({ values, positionals, io }: CommandContext): Promise<number> {
  const inPlace = values["in-place"] === true;
  if (!inPlace && positionals.length > 1) {
    throw new UsageError(
      "format: more than one FILE needs --in-place (standard output takes one file)",
    );
  }
  if (inPlace && positionals.includes("-")) {
    throw new UsageError("format: --in-place cannot rewrite standard input");
  }
  const target = targetOf(values, "format");
  return forEachDocument(
    positionals,
    io,
    { command: "format", json: false, target },
    async ({ doc, name, text, diagnostics }) => {
      // Warnings too: they say what formatting changes (`upstream` becomes
      // `<source dev>`).
      printDiagnostics(io, name, diagnostics);
      if (!doc || hasErrors(diagnostics)) {
        io.err(
          `passtkit: ${name}: not formatted: fix the errors above first\n`,
        );
        return 1;
      }
      const formatted = format(doc);
      if (!inPlace) {
        io.out(formatted);
        return 0;
      }
      if (formatted === text) return 0;
      try {
        await writeInPlace(name, formatted);
      } catch (error) {
        io.err(`passtkit: ${name}: cannot write: ${describeError(error)}\n`);
        return 2;
      }
      return 0;
    },
  );
}

/** The `format` command. */
export const command: Command = {
  name: "format",
  summary: "rewrite interfaces in libvirt's canonical form",
  usage: "format [OPTIONS] FILE...",
  description:
    "Writes the document with every passt and type='user' interface as libvirt writes it\n" +
    "back (element and attribute order, single quotes, defaults omitted); every other\n" +
    "byte stays as it was. Without --in-place the result goes to standard output (one\n" +
    "FILE). With --in-place each file is replaced atomically (through a symbolic link,\n" +
    "keeping mode, owner and group); an invalid or unreadable file is left untouched\n" +
    "and reported. Problems, warnings included, go to standard error.",
  options: {
    "in-place": {
      type: "boolean",
      short: "i",
      help: "rewrite each FILE atomically instead of printing",
    },
    target: TARGET_OPTION,
  },
  examples: ["format examples/seed.xml", "format --in-place vm.xml"],
  run,
};
