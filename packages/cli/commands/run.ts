/**
 * `passtkit run [OPTIONS] FILE`
 *
 * @module
 */

import { type BuildOptions, shellQuote } from "@passtkit/args";
import {
  GroupStartError,
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
  describeError,
  jsonLine,
  stringOption,
  UsageError,
} from "../_command.ts";
import {
  BUILD_OPTIONS,
  buildForDocument,
  buildOptions,
} from "../_build_options.ts";
import {
  diagnosticJson,
  forEachDocument,
  hasErrors,
  type LoadedDocument,
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

/**
 * The one-line reason when passt could not be run at all (no such program,
 * not executable), or `undefined` for any other start failure.
 */
function cannotRun(error: unknown, program: string): string | undefined {
  if (!(error instanceof GroupStartError)) return undefined;
  for (const { error: failure } of error.failures) {
    // The supervisor wraps the spawn error as "cannot run '...': ...".
    const cause = failure.cause;
    if (
      failure.message.startsWith("cannot run ") &&
      (cause instanceof Deno.errors.NotFound ||
        cause instanceof Deno.errors.PermissionDenied)
    ) {
      return `cannot run '${program}': ${describeError(cause)}`;
    }
  }
  return undefined;
}

async function supervise(
  loaded: LoadedDocument,
  options: BuildOptions,
  restart: RestartPolicy,
  json: boolean,
  io: CommandIo,
): Promise<number> {
  const { name } = loaded;
  const result = buildForDocument(loaded, options);
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
  // Warnings, also under --json (standard output stays JSON).
  printDiagnostics(io, name, result.diagnostics);
  if (result.commands.length === 0) {
    const message = "no interface uses the passt backend";
    if (json) io.out(jsonLine({ type: "failed", file: name, message }));
    io.err(`passtkit: ${name}: ${message}\n`);
    return 1;
  }

  let starting = true;
  let group: PasstGroup;
  try {
    group = await startGroup(
      result.commands.map((c) => ({ name: c.alias, argv: c.argv })),
      {
        stateDir: options.stateDir as string,
        restart,
        handleSignals: true,
        onEvent: (event) => {
          // A passt that fails to start is reported once, by the start
          // error below (--json has the event too).
          if (
            !json && starting && event.type === "exited" &&
            event.attempt === 1 && event.reason !== undefined
          ) return;
          printEvent(io, json, event);
        },
      },
    );
  } catch (error) {
    if (!(error instanceof SupervisorError)) throw error;
    const program = result.commands[0]?.argv[0] ?? "passt";
    const unrunnable = cannotRun(error, program);
    const message = unrunnable ?? error.message;
    if (json) io.out(jsonLine({ type: "failed", file: name, message }));
    if (unrunnable !== undefined) {
      // Like a missing file: the command line named something unusable.
      io.err(`passtkit: run: ${unrunnable}\n`);
      return 2;
    }
    if (!json) io.err(`passtkit: ${name}: ${message}\n`);
    return 1;
  } finally {
    starting = false;
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
        // What runs: passtkit's command in the foreground (-f), under
        // passtkit's supervision.
        argv: member?.argv ?? command.argv,
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
    const one = result.commands.length === 1;
    io.err(
      `passtkit: running ${result.commands.length} passt ${
        one ? "process" : "processes"
      }, restart policy '${restart}'; Ctrl-C stops ${one ? "it" : "them"}\n`,
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
  const options = await buildOptions(values, "run");
  const json = values.json === true;
  // An unreadable file is one line on standard error and exit status 2;
  // under --json also a record, typed like every record of run.
  return forEachDocument(
    positionals,
    io,
    { command: "run", json, recordType: "unreadable", target: false },
    (loaded) => supervise(loaded, options, restart as RestartPolicy, json, io),
  );
}

/** The `run` command. */
export const command: Command = {
  name: "run",
  summary: "start and supervise passt for every interface of a file",
  usage: "run [OPTIONS] FILE",
  description:
    "Starts one passt per passt interface (the command line 'passtkit args' prints,\n" +
    "in the foreground under passtkit), waits until each is ready (PID file written and\n" +
    "socket listening), prints each socket, pid and the QEMU arguments that connect to\n" +
    "it, then stays in the foreground logging events to standard error (one JSON line\n" +
    "each on standard output with --json; the first events, started and ready, come\n" +
    "before the interface objects, which are printed once every passt is ready).\n" +
    "A passt that dies is restarted by the policy (default on-failure) with backoff.\n" +
    "Ctrl-C, SIGTERM or SIGHUP (the terminal closing) stops them all, removes sockets\n" +
    "and PID files, and exits 0.\n" +
    "If any passt cannot start, the others are stopped and passt's own message is\n" +
    "shown (exit status 1; 2 when the passt program cannot be run at all).",
  options: {
    restart: {
      type: "string",
      value: "POLICY",
      help: "never, on-failure (default) or always",
    },
    json: {
      type: "boolean",
      help:
        'JSON Lines on standard output: one object per event ({"type": "started"|"ready"|"exited"|..., "time", "name", ...}), and once every passt is ready one {"type": "interface", ...} per passt; {"type": "invalid", "file", "diagnostics"}, {"type": "failed", "file", "message"} or {"type": "unreadable", "file", "error"} when nothing could be started',
    },
    ...BUILD_OPTIONS,
  },
  examples: ["run examples/seed-local.xml"],
  run,
};
