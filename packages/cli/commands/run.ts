/**
 * `passtkit run [--state-dir DIR] [--restart never|on-failure|always] [--json] FILE`
 *
 * @module
 */

import { buildDomainCommands, shellQuote } from "@passtkit/args";
import {
  type PasstGroup,
  RESTART_POLICIES,
  type RestartPolicy,
  startGroup,
  SupervisorError,
  type SupervisorEvent,
} from "@passtkit/supervisor";
import {
  type Command,
  type CommandContext,
  type CommandIo,
  InputOutputError,
  jsonLine,
  UsageError,
} from "../_command.ts";
import { buildOptions, stringOption } from "../_build_options.ts";
import {
  diagnosticJson,
  hasErrors,
  loadDocument,
  printDiagnostics,
} from "../_document.ts";

function eventText(event: SupervisorEvent): string {
  const parts: string[] = [];
  if (event.pid !== undefined) parts.push(`pid ${event.pid}`);
  if (event.attempt !== undefined && event.attempt > 1) {
    parts.push(`attempt ${event.attempt}`);
  }
  if (event.readyMs !== undefined) {
    parts.push(`${Math.round(event.readyMs)} ms`);
  }
  if (event.code !== undefined && event.code !== null) {
    parts.push(`exit code ${event.code}`);
  }
  if (event.signal) parts.push(`signal ${event.signal}`);
  if (event.delayMs !== undefined) parts.push(`in ${event.delayMs} ms`);
  const details = parts.length ? ` (${parts.join(", ")})` : "";
  const reason = event.reason ? `: ${event.reason}` : "";
  return `${event.time} ${event.name}: ${event.type}${details}${reason}\n`;
}

function printEvent(io: CommandIo, json: boolean, event: SupervisorEvent) {
  if (json) io.out(jsonLine(event));
  else io.err(eventText(event));
}

/** Resolves when every member has ended for good (stopped, gave up, or exited without restart). */
function allFinished(group: PasstGroup): Promise<SupervisorEvent[]> {
  return Promise.all(group.members.map((m) => m.finished));
}

async function run(
  { values, positionals, io }: CommandContext,
): Promise<number> {
  if (positionals.length !== 1) {
    throw new UsageError(
      `run: takes exactly one FILE (got ${positionals.length}); see 'passtkit run --help'`,
    );
  }
  const restart = stringOption(values, "restart") ?? "on-failure";
  if (!RESTART_POLICIES.includes(restart as RestartPolicy)) {
    throw new UsageError(
      `run: --restart takes ${
        RESTART_POLICIES.map((p) => `'${p}'`).join(", ")
      }, got '${restart}'`,
    );
  }
  const options = buildOptions(values, "run");
  const json = values.json === true;
  const file = positionals[0] as string;
  let loaded;
  try {
    loaded = await loadDocument(file, io);
  } catch (error) {
    if (!(error instanceof InputOutputError)) throw error;
    io.err(`passtkit: ${error.message}\n`);
    return 2;
  }
  const { doc, name } = loaded;
  const result = doc
    ? buildDomainCommands(doc, {
      ...options,
      ...(name === "<stdin>" && !options.domainName && !doc.domain.name
        ? { domainName: "stdin" }
        : {}),
    })
    : { ok: false as const, diagnostics: loaded.diagnostics };
  if (!result.ok || hasErrors(result.diagnostics)) {
    if (json) {
      io.out(jsonLine({
        type: "invalid",
        file: name,
        diagnostics: result.diagnostics.map(diagnosticJson),
      }));
    } else {
      printDiagnostics(io, name, result.diagnostics);
      io.err(`passtkit: ${name}: not started: fix the errors above first\n`);
    }
    return 1;
  }
  if (!json) printDiagnostics(io, name, result.diagnostics);
  if (result.commands.length === 0) {
    io.err(`passtkit: ${name}: no interface uses the passt backend\n`);
    return 1;
  }

  let group: PasstGroup;
  try {
    group = await startGroup(
      result.commands.map((c) => ({ name: c.alias, argv: c.argv })),
      {
        stateDir: options.stateDir as string,
        restart: restart as RestartPolicy,
        handleSignals: true,
        onEvent: (event) => printEvent(io, json, event),
      },
    );
  } catch (error) {
    if (!(error instanceof SupervisorError)) throw error;
    if (json) {
      io.out(jsonLine({ type: "failed", file: name, message: error.message }));
    } else {
      io.err(`passtkit: ${name}: ${error.message}\n`);
    }
    return 1;
  }

  for (const command of result.commands) {
    const member = group.get(command.alias);
    if (json) {
      io.out(jsonLine({
        type: "interface",
        file: name,
        alias: command.alias,
        pid: member?.pid ?? null,
        socket: command.socket,
        pidfile: command.pidfile,
        argv: command.argv,
        qemu: command.qemu,
      }));
      continue;
    }
    io.out(`${command.alias}: passt pid ${member?.pid ?? "?"} is ready\n`);
    io.out(`  socket:  ${command.socket}\n`);
    io.out(`  pidfile: ${command.pidfile}\n`);
    io.out(`  qemu:    ${shellQuote(command.qemu)}\n`);
  }
  if (!json) {
    io.err(
      `passtkit: running ${result.commands.length} passt process(es), restart policy '${restart}'; Ctrl-C stops them\n`,
    );
  }

  const outcome = await Promise.race([
    group.stopped.then((reason) => ({ reason, finals: undefined })),
    allFinished(group).then((finals) => ({ reason: "finished", finals })),
  ]);
  await group.stop();
  // A stop (Ctrl-C, SIGTERM) also finishes every member, with `stopped`.
  const finals = outcome.finals?.every((e) => e.type === "stopped")
    ? undefined
    : outcome.finals;
  if (finals === undefined) {
    if (!json) io.err(`passtkit: stopped (${await group.stopped})\n`);
    return 0;
  }
  // Every passt ended by itself and the policy restarts none of them.
  const failed = finals.some((e) =>
    e.type === "gave-up" || (e.type === "exited" && e.code !== 0)
  );
  if (!json) {
    io.err(
      `passtkit: every passt has ended${
        failed ? "; at least one failed" : ""
      }\n`,
    );
  }
  return failed ? 1 : 0;
}

/** The `run` command. */
export const command: Command = {
  name: "run",
  summary: "start and supervise passt for every interface of a file",
  usage:
    "run [--state-dir DIR] [--restart never|on-failure|always] [--json] FILE",
  description:
    "Starts one passt per passt interface (the command line 'passtkit args' prints,\n" +
    "in the foreground under passtkit), waits until each is ready (PID file written and\n" +
    "socket listening), prints each socket, pid and the QEMU arguments that connect to\n" +
    "it, then stays in the foreground logging events (one JSON line each with --json).\n" +
    "A passt that dies is restarted by the policy (default on-failure) with backoff.\n" +
    "Ctrl-C or SIGTERM stops them all, removes sockets and PID files, and exits 0.\n" +
    "If any passt cannot start, the others are stopped and passt's own message is\n" +
    "shown (exit status 1).",
  options: {
    "state-dir": {
      type: "string",
      value: "DIR",
      help:
        "directory for sockets and PID files (default: /run/passtkit as root, else $XDG_RUNTIME_DIR/passtkit)",
    },
    restart: {
      type: "string",
      value: "POLICY",
      help: "never, on-failure (default) or always",
    },
    json: {
      type: "boolean",
      help:
        'JSON Lines: {"type": "interface", ...} per passt, then one object per event ({"type": "ready"|"exited"|..., "time", "name", ...})',
    },
    "domain-id": {
      type: "string",
      value: "N",
      help: "domain id in socket and PID file names (default: 1)",
    },
    "domain-name": {
      type: "string",
      value: "NAME",
      help: "domain name in file names (default: <name>, or the file name)",
    },
    passt: {
      type: "string",
      value: "PATH",
      help: "the passt binary (default: passt from PATH)",
    },
  },
  examples: ["run examples/seed-local.xml"],
  run,
};
