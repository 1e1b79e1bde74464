/**
 * `passtkit stop --pidfile FILE [OPTIONS]`
 *
 * @module
 */

import {
  NotPasstError,
  stopPidFile,
  SupervisorError,
} from "@passtkit/supervisor";
import {
  type Command,
  type CommandContext,
  jsonLine,
  UsageError,
} from "../_command.ts";

function parseTimeout(value: unknown): number {
  if (value === undefined) return 3000;
  const seconds = Number(value);
  if (
    typeof value !== "string" || value.trim() === "" ||
    !Number.isFinite(seconds) || seconds < 0
  ) {
    throw new UsageError(
      `stop: --timeout must be a number of seconds, not '${value}'`,
    );
  }
  return Math.round(seconds * 1000);
}

async function run(
  { values, positionals, io }: CommandContext,
): Promise<number> {
  if (positionals.length > 0) {
    throw new UsageError(
      `stop: unexpected argument '${
        positionals[0]
      }'; see 'passtkit stop --help'`,
    );
  }
  const pidFile = values.pidfile;
  if (typeof pidFile !== "string" || pidFile === "") {
    throw new UsageError(
      "stop: --pidfile FILE is required; see 'passtkit stop --help'",
    );
  }
  const socket = values.socket;
  const socketPath = typeof socket === "string" ? socket : undefined;
  const graceMs = parseTimeout(values.timeout);
  const json = values.json === true;
  try {
    const result = await stopPidFile(pidFile, { socketPath, graceMs });
    if (json) {
      io.out(
        jsonLine({
          pidfile: pidFile,
          pid: result.pid ?? null,
          outcome: result.outcome,
          removed: result.removed,
          kept: result.kept,
        }),
      );
    } else {
      const who = result.pid === undefined ? "passt" : `passt ${result.pid}`;
      const what = result.outcome === "terminated"
        ? `stopped ${who}`
        : result.outcome === "killed"
        ? `stopped ${who} with SIGKILL (it ignored SIGTERM for ${
          graceMs / 1000
        } s)`
        : result.outcome === "no-pidfile"
        ? `no PID file at ${pidFile}; nothing to stop`
        : `process ${result.pid} of ${pidFile} is no longer running`;
      const removed = result.removed.length > 0
        ? `; removed ${result.removed.join(", ")}`
        : "";
      io.out(`${what}${removed}\n`);
      const why = {
        "in use": "something listens on it",
        "not a socket": "not a socket",
        "not named *.pid": "its name does not end in .pid",
      };
      for (const { path, reason } of result.kept) {
        io.err(`passtkit: stop: left ${path} in place: ${why[reason]}\n`);
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof NotPasstError) {
      if (json) {
        io.out(
          jsonLine({
            pidfile: pidFile,
            pid: error.pid,
            outcome: "refused",
            error: error.message,
          }),
        );
      }
      io.err(`passtkit: stop: ${error.message}; not signalling it\n`);
      return 1;
    }
    if (
      error instanceof SupervisorError ||
      error instanceof Deno.errors.PermissionDenied
    ) {
      io.err(`passtkit: stop: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

/** The `stop` command. */
export const command: Command = {
  name: "stop",
  summary: "stop a passt started by someone else, from its PID file",
  usage: "stop --pidfile FILE [OPTIONS]",
  description:
    "Checks that the PID in FILE is a passt started with that PID file (its program and\n" +
    "command line), sends SIGTERM, then SIGKILL after the timeout, and removes the PID\n" +
    "file and the socket: --socket, else the --socket of passt's command line, else\n" +
    "(when the process is already gone) X.socket next to X-passt.pid or X.pid. Only a\n" +
    "socket nothing listens on is removed; anything else there is left and named.\n" +
    "Exit status: 0 when stopped, already gone or there is no PID file, 1 when the\n" +
    "PID is not that passt (nothing is signalled), 2 for usage or I/O errors.",
  options: {
    pidfile: {
      type: "string",
      value: "FILE",
      help: "passt's PID file (its --pid)",
    },
    socket: {
      type: "string",
      value: "PATH",
      help: "socket to remove (default: from passt's command line)",
    },
    timeout: {
      type: "string",
      value: "SECONDS",
      help: "wait this long after SIGTERM before SIGKILL (default 3)",
    },
    json: {
      type: "boolean",
      help:
        'print {"pidfile", "pid", "outcome", "removed", "kept": [{"path", "reason"}]} as one JSON line',
    },
  },
  examples: [
    "stop --pidfile /run/libvirt/qemu/passt/1-vm-net0-passt.pid",
    "stop --pidfile /tmp/vm/net0.pid --timeout 10 --json",
  ],
  run,
};
