/**
 * `passtkit args [--json] [--qemu] [--state-dir DIR] [--domain-id N]
 * [--domain-name NAME] [--passt PATH] FILE...`
 *
 * @module
 */

import {
  buildDomainCommands,
  ensureStateDir,
  shellQuote,
} from "@passtkit/args";
import { buildOptions } from "../_build_options.ts";
import {
  type Command,
  type CommandContext,
  describeError,
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
    throw new UsageError("args: no FILE given; see 'passtkit args --help'");
  }
  const options = buildOptions(values, "args");
  const json = values.json === true;
  let prepared = values["no-mkdir"] === true;
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
    const { doc, name } = loaded;
    const result = doc
      ? buildDomainCommands(doc, {
        ...options,
        // Standard input has no file name to name the domain after.
        ...(name === "<stdin>" && !options.domainName && !doc.domain.name
          ? { domainName: "stdin" }
          : {}),
      })
      : { ok: false as const, diagnostics: loaded.diagnostics };
    if (!result.ok || hasErrors(result.diagnostics)) {
      if (code === 0) code = 1;
      if (json) {
        io.out(jsonLine({
          file: name,
          diagnostics: result.diagnostics.map(diagnosticJson),
        }));
      } else {
        printDiagnostics(io, name, result.diagnostics);
        io.err(`passtkit: ${name}: no command: fix the errors above first\n`);
      }
      continue;
    }
    if (!json) printDiagnostics(io, name, result.diagnostics);
    if (!prepared && result.commands.length > 0) {
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
    if (result.commands.length === 0 && !json) {
      io.err(`passtkit: ${name}: no interface uses the passt backend\n`);
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
  }
  return code;
}

/** The `args` command. */
export const command: Command = {
  name: "args",
  summary: "print the passt (and QEMU) command line of each passt interface",
  usage:
    "args [--json] [--qemu] [--state-dir DIR] [--domain-id N] [--domain-name NAME] [--passt PATH] FILE...",
  description:
    "For each passt interface, prints '# FILE ALIAS' and the passt command libvirt\n" +
    "would run, shell-quoted so that pasting it runs exactly that command (with\n" +
    "--qemu, the QEMU arguments that connect to it on the next line). The socket\n" +
    "and PID file go to DIR/<id>-<name>-<alias>.socket and ...-passt.pid; DIR\n" +
    "defaults to /run/passtkit for root and $XDG_RUNTIME_DIR/passtkit otherwise,\n" +
    "and is created when missing (for root, owned by nobody, the user passt\n" +
    "switches to) unless --no-mkdir is given.\n" +
    "The domain name defaults to the document's <name> (the file name for a bare\n" +
    "<interface>), the id to 1. An invalid file prints its problems and no\n" +
    "command. Exit status: 0 ok, 1 when any file is invalid, 2 for usage or I/O\n" +
    "errors.",
  options: {
    json: {
      type: "boolean",
      help:
        'one JSON object per interface: {"file", "alias", "argv", "socket", "pidfile", "qemu"}',
    },
    qemu: {
      type: "boolean",
      help: "also print the QEMU arguments for each interface",
    },
    "state-dir": {
      type: "string",
      value: "DIR",
      help: "directory for sockets and PID files",
    },
    "domain-id": {
      type: "string",
      value: "N",
      help: "domain id in the file names (default: <domain id>, else 1)",
    },
    "domain-name": {
      type: "string",
      value: "NAME",
      help:
        "domain name in the file names (default: <name>, else the file name)",
    },
    passt: {
      type: "string",
      value: "PATH",
      help: "the passt program to run (default: passt from PATH)",
    },
    "no-mkdir": {
      type: "boolean",
      help: "do not create the state directory when it is missing",
    },
    "qemu-reconnect": {
      type: "string",
      value: "MODE",
      help:
        "reconnect-ms (QEMU 9.2+, default), reconnect (QEMU 8.0-10.1) or none (QEMU < 8.0)",
    },
  },
  examples: [
    "args examples/seed.xml",
    "args --qemu --state-dir /tmp/vm --domain-name web vm.xml",
    "args --json examples/seed.xml",
  ],
  run,
};
