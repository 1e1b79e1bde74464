/**
 * Options shared by the commands that build passt command lines.
 *
 * @module
 */

import {
  buildDomainCommands,
  type BuildOptions,
  defaultStateDir,
  type DomainCommandsResult,
  type QemuReconnect,
} from "@passtkit/args";
import {
  type CommandContext,
  type CommandOption,
  stringOption,
  TARGET_OPTION,
  targetOf,
  UsageError,
} from "./_command.ts";
import type { LoadedDocument } from "./_document.ts";

const RECONNECT: readonly QemuReconnect[] = [
  "reconnect-ms",
  "reconnect",
  "none",
];

/** The options `args` and `run` share, with the same help text in both. */
export const BUILD_OPTIONS: Readonly<Record<string, CommandOption>> = {
  "state-dir": {
    type: "string",
    value: "DIR",
    help:
      "directory for sockets and PID files (default: /run/passtkit as root, else $XDG_RUNTIME_DIR/passtkit, else $TMPDIR/passtkit-<uid>)",
  },
  "domain-id": {
    type: "string",
    value: "N",
    help:
      "domain id in socket and PID file names (default: <domain id>, else 1)",
  },
  "domain-name": {
    type: "string",
    value: "NAME",
    help:
      "domain name in socket and PID file names (default: <name>, else the file name without .xml, 'stdin' for -)",
  },
  passt: {
    type: "string",
    value: "PATH",
    help: "the passt program to run (default: passt from PATH)",
  },
  "qemu-reconnect": {
    type: "string",
    value: "MODE",
    help:
      "reconnect-ms (QEMU 9.2+, default), reconnect (QEMU 8.0-10.1) or none (QEMU < 8.0)",
  },
  target: TARGET_OPTION,
};

/**
 * Reads the options `args` and `run` share (`--state-dir`, `--domain-id`,
 * `--domain-name`, `--passt`, `--qemu-reconnect`, `--target`) into build
 * options.
 *
 * @throws {UsageError} For a malformed value, naming the command.
 */
export async function buildOptions(
  values: CommandContext["values"],
  commandName: string,
): Promise<BuildOptions> {
  const stateDir = stringOption(values, "state-dir");
  const domainId = stringOption(values, "domain-id");
  const domainName = stringOption(values, "domain-name");
  const passt = stringOption(values, "passt");
  const reconnect = stringOption(values, "qemu-reconnect");
  const target = targetOf(values, commandName);
  if (domainId !== undefined && !/^-?[0-9]{1,9}$/.test(domainId)) {
    throw new UsageError(
      `${commandName}: --domain-id takes an integer, got '${domainId}'`,
    );
  }
  if (domainName === "") {
    throw new UsageError(`${commandName}: --domain-name cannot be empty`);
  }
  // The name becomes part of file names; a mistake on the command line is
  // not the file's (libvirt: "name %s cannot contain '/'").
  if (domainName?.includes("/")) {
    throw new UsageError(
      `${commandName}: --domain-name cannot contain '/', got '${domainName}'`,
    );
  }
  if (passt === "") {
    throw new UsageError(`${commandName}: --passt cannot be empty`);
  }
  if (
    reconnect !== undefined &&
    !RECONNECT.includes(reconnect as QemuReconnect)
  ) {
    throw new UsageError(
      `${commandName}: --qemu-reconnect takes ${
        RECONNECT.map((r) => `'${r}'`).join(", ")
      }, got '${reconnect}'`,
    );
  }
  return {
    stateDir: stateDir === undefined
      ? defaultStateDir()
      // A relative directory is taken from the current one, as a shell user
      // expects. node:path is loaded only here, as it is slow to load.
      : (await import("node:path")).resolve(stateDir),
    ...(domainId !== undefined ? { domainId: Number(domainId) } : {}),
    ...(domainName !== undefined ? { domainName } : {}),
    ...(passt !== undefined ? { passt } : {}),
    ...(reconnect !== undefined
      ? { qemuReconnect: reconnect as QemuReconnect }
      : {}),
    target,
  };
}

/**
 * The passt commands of a loaded file, or its problems when it could not be
 * parsed.
 */
export function buildForDocument(
  loaded: LoadedDocument,
  options: BuildOptions,
): DomainCommandsResult {
  const { doc, name } = loaded;
  if (!doc) return { ok: false, diagnostics: loaded.diagnostics };
  return buildDomainCommands(doc, {
    ...options,
    // Standard input has no file name to name the domain after.
    ...(name === "<stdin>" && !options.domainName && !doc.domain.name
      ? { domainName: "stdin" }
      : {}),
  });
}
