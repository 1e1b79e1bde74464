/**
 * `passtkit args [OPTIONS] FILE...`
 *
 * @module
 */

import { ensureStateDir, shellQuote } from "@passtkit/args";
import {
  BUILD_OPTIONS,
  buildForDocument,
  buildOptions,
} from "../_build_options.ts";
import {
  type Command,
  type CommandContext,
  describeError,
  jsonLine,
} from "../_command.ts";
import {
  diagnosticJson,
  forEachDocument,
  hasErrors,
  printDiagnostics,
} from "../_document.ts";

async function run(
  { values, positionals, io }: CommandContext,
): Promise<number> {
  const options = await buildOptions(values, "args");
  const json = values.json === true;
  let prepared = values["no-mkdir"] === true;
  return forEachDocument(
    positionals,
    io,
    { command: "args", json, target: false },
    async (loaded) => {
      const { name } = loaded;
      const result = buildForDocument(loaded, options);
      if (!result.ok || hasErrors(result.diagnostics)) {
        if (json) {
          io.out(jsonLine({
            file: name,
            diagnostics: result.diagnostics.map(diagnosticJson),
          }));
        } else {
          printDiagnostics(io, name, result.diagnostics);
          io.err(`passtkit: ${name}: no command: fix the errors above first\n`);
        }
        return 1;
      }
      // Warnings, also under --json (standard output stays JSON).
      printDiagnostics(io, name, result.diagnostics);
      if (result.commands.length === 0) {
        // Not an error: the file is valid and has nothing for passt (no
        // record under --json).
        io.err(`passtkit: ${name}: no interface uses the passt backend\n`);
        return 0;
      }
      if (!prepared) {
        // The printed command must run as pasted: passt creates neither the
        // directory nor, as root, can it write to one only root may write.
        prepared = true;
        const stateDir = options.stateDir as string;
        try {
          const state = await ensureStateDir(stateDir);
          if (state.created) io.err(`passtkit: created ${stateDir}\n`);
          for (const warning of state.warnings) {
            io.err(`passtkit: warning: ${warning}\n`);
          }
        } catch (error) {
          io.err(
            `passtkit: warning: cannot create ${stateDir}: ${
              describeError(error)
            }; passt needs it\n`,
          );
        }
      }
      for (const command of result.commands) {
        if (json) {
          io.out(jsonLine({
            file: name,
            alias: command.alias,
            argv: command.argv,
            socket: command.socket,
            pidfile: command.pidfile,
            qemu: command.qemu,
          }));
          continue;
        }
        io.out(`# ${name} ${command.alias}\n`);
        io.out(shellQuote(command.argv) + "\n");
        if (values.qemu === true) io.out(shellQuote(command.qemu) + "\n");
      }
      return 0;
    },
  );
}

/** The `args` command. */
export const command: Command = {
  name: "args",
  summary: "print the passt (and QEMU) command line of each passt interface",
  usage: "args [OPTIONS] FILE...",
  description:
    "For each passt interface, prints '# FILE ALIAS' and the passt command libvirt\n" +
    "would run, shell-quoted so that pasting it runs exactly that command (with\n" +
    "--qemu, the QEMU arguments that connect to it on the next line). The socket\n" +
    "and PID file go to DIR/<id>-<name>-<alias>.socket and ...-passt.pid; DIR\n" +
    "defaults to /run/passtkit for root, else $XDG_RUNTIME_DIR/passtkit, else\n" +
    "$TMPDIR/passtkit-<uid> (/tmp without $TMPDIR), and is created when missing\n" +
    "(for root, owned by nobody, the user passt switches to) unless --no-mkdir\n" +
    "is given.\n" +
    "The domain name defaults to the document's <name> (the file name without .xml\n" +
    "for a bare <interface>), the id to the document's <domain id>, else 1. Warnings\n" +
    "and problems go to standard error; an invalid file prints its problems and no\n" +
    "command. Exit status: 0 ok (also for a file without passt interfaces), 1 when\n" +
    "any file is invalid, 2 for usage or I/O errors.",
  options: {
    json: {
      type: "boolean",
      help:
        'one JSON object per interface: {"file", "alias", "argv", "socket", "pidfile", "qemu"}; {"file", "diagnostics"} for an invalid file, {"file", "error"} for one that cannot be read',
    },
    qemu: {
      type: "boolean",
      help: "also print the QEMU arguments for each interface",
    },
    ...BUILD_OPTIONS,
    "no-mkdir": {
      type: "boolean",
      help: "do not create the state directory when it is missing",
    },
  },
  examples: [
    "args examples/seed.xml",
    "args --qemu --state-dir /tmp/vm --domain-name web vm.xml",
    "args --json examples/seed.xml",
  ],
  run,
};
