/**
 * Errors thrown by the supervisor: one base class and a subclass per way a
 * passt start, readiness wait, adoption or state directory can fail.
 *
 * @module
 */

import { describeMissing, OPTION_SINCE } from "./_since.ts";

/**
 * Base class of every error the supervisor throws on purpose.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArgvError, SupervisorError } from "@passtkit/supervisor";
 * assert.ok(new ArgvError("bad") instanceof SupervisorError);
 * ```
 */
export class SupervisorError extends Error {
  /**
   * Creates a supervisor error with a one-line message.
   *
   * @param message What went wrong, one sentence.
   * @param options The underlying cause, if any.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SupervisorError";
  }
}

/**
 * The argv or options given to the supervisor are unusable (the user's
 * mistake, not passt's), e.g. no `--socket` and no state directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArgvError, normalizeArgv } from "@passtkit/supervisor";
 * assert.throws(() => normalizeArgv(["passt"]), ArgvError);
 * ```
 */
export class ArgvError extends SupervisorError {
  /**
   * Creates an argv error.
   *
   * @param message What is wrong with the argv, quoting the value.
   */
  constructor(message: string) {
    super(message);
    this.name = "ArgvError";
  }
}

/**
 * The argv uses options the installed passt does not have (found with
 * {@linkcode unsupportedOptions}), so it was not started. The message names
 * the release that added each option, when known.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArgvError, UnsupportedOptionError } from "@passtkit/supervisor";
 * const error = new UnsupportedOptionError(["--vhost-user"]);
 * assert.equal(
 *   error.message,
 *   "this passt does not support --vhost-user (added in passt 2024_12_11); install a newer passt",
 * );
 * assert.ok(error instanceof ArgvError);
 * ```
 */
export class UnsupportedOptionError extends ArgvError {
  /** The options, as written in the argv (`--vhost-user`, `-H`). */
  readonly options: readonly string[];

  /**
   * Creates the error.
   *
   * @param options The options the passt lacks, as written in the argv.
   */
  constructor(options: readonly string[]) {
    const known = options.some((o) => OPTION_SINCE[o] !== undefined);
    super(
      `this passt does not support ${describeMissing(options)}${
        known ? "; install a newer passt" : ""
      }`,
    );
    this.name = "UnsupportedOptionError";
    this.options = options;
  }
}

/** Fields of a {@linkcode PasstStartError}. */
export interface PasstStartErrorInit {
  /** passt's exit code, or `null` when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended passt, or `null`. */
  readonly signal: string | null;
  /** passt's stderr (and stdout) text, without the syslog noise. */
  readonly stderr: string;
  /** The argv that was run, program first. */
  readonly argv: readonly string[];
}

/**
 * passt exited before it was ready. The message carries the line of passt's
 * output that says why (the first line stating a failure, not the usage text
 * that may follow it), e.g. `passt exited with code 1 before it was ready:
 * Failed to bind any port for '-t 127.0.0.1/40050', exiting`. For an option
 * this passt does not know, it names the release that added it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PasstStartError } from "@passtkit/supervisor";
 * const error = new PasstStartError({
 *   exitCode: 1,
 *   signal: null,
 *   stderr: "Failed to bind any port for '-t 127.0.0.1/40050', exiting\n",
 *   argv: ["passt", "-f", "-t", "127.0.0.1/40050"],
 * });
 * assert.equal(
 *   error.message,
 *   "passt exited with code 1 before it was ready: Failed to bind any port for '-t 127.0.0.1/40050', exiting",
 * );
 * ```
 *
 * @example An option the 2023 passt lacks: getopt's line, not the usage text after it
 * ```ts
 * import assert from "node:assert/strict";
 * import { PasstStartError } from "@passtkit/supervisor";
 * const error = new PasstStartError({
 *   exitCode: 1,
 *   signal: null,
 *   stderr: "passt: unrecognized option '--vhost-user'\nUsage: passt [OPTION]...\n    default: none\n",
 *   argv: ["passt", "-f", "--vhost-user"],
 * });
 * assert.equal(
 *   error.reason,
 *   "unrecognized option '--vhost-user' (added in passt 2024_12_11; install a newer passt)",
 * );
 * ```
 */
export class PasstStartError extends SupervisorError {
  /** passt's exit code, or `null` when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended passt, or `null`. */
  readonly signal: string | null;
  /** passt's output, without `Failed to send N bytes to syslog` lines. */
  readonly stderr: string;
  /** The argv that was run, program first. */
  readonly argv: readonly string[];
  /** The line of `stderr` that says why passt failed, or `""`. */
  readonly reason: string;

  /**
   * Creates the error from passt's exit status and output.
   *
   * @param init Exit status, output and argv.
   */
  constructor(init: PasstStartErrorInit) {
    const how = init.signal !== null
      ? `was killed by ${init.signal}`
      : `exited with code ${init.exitCode}`;
    const reason = failureReason(init.stderr);
    super(`passt ${how} before it was ready${reason ? `: ${reason}` : ""}`);
    this.name = "PasstStartError";
    this.reason = reason;
    this.exitCode = init.exitCode;
    this.signal = init.signal;
    this.stderr = init.stderr;
    this.argv = init.argv;
  }
}

/**
 * passt did not become ready within the timeout (it was then stopped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReadinessTimeoutError } from "@passtkit/supervisor";
 * const error = new ReadinessTimeoutError(5000, "/run/p/a.pid", "", ["passt"]);
 * assert.match(error.message, /not ready after 5000 ms/);
 * ```
 */
export class ReadinessTimeoutError extends SupervisorError {
  /** The timeout that passed, in milliseconds. */
  readonly timeoutMs: number;
  /** The PID file that was awaited. */
  readonly pidFile: string;
  /** passt's output so far, without syslog noise. */
  readonly stderr: string;
  /** The argv that was run, program first. */
  readonly argv: readonly string[];

  /**
   * Creates the error.
   *
   * @param timeoutMs The timeout that passed.
   * @param pidFile The PID file that never got a PID.
   * @param stderr passt's output so far.
   * @param argv The argv that was run.
   */
  constructor(
    timeoutMs: number,
    pidFile: string,
    stderr: string,
    argv: readonly string[],
  ) {
    const last = lastLine(stderr);
    super(
      `passt was not ready after ${timeoutMs} ms (no PID in '${pidFile}')${
        last ? `; its last message: ${last}` : ""
      }`,
    );
    this.name = "ReadinessTimeoutError";
    this.timeoutMs = timeoutMs;
    this.pidFile = pidFile;
    this.stderr = stderr;
    this.argv = argv;
  }
}

/**
 * passt wrote its PID file but nothing listens on its socket. The 2023 passt
 * does this when it cannot bind the socket path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SocketNotListeningError } from "@passtkit/supervisor";
 * assert.match(new SocketNotListeningError("/run/p/a.sock", "nobody").message, /nobody/);
 * ```
 */
export class SocketNotListeningError extends SupervisorError {
  /** The socket path nothing listens on. */
  readonly socketPath: string;

  /**
   * Creates the error.
   *
   * @param socketPath The socket path.
   * @param user The user passt runs as, named in the hint.
   */
  constructor(socketPath: string, user: string) {
    super(
      `passt is running but nothing listens on '${socketPath}'; ` +
        `check that its directory is writable by ${user}, the user passt runs as`,
    );
    this.name = "SocketNotListeningError";
    this.socketPath = socketPath;
  }
}

/**
 * A PID does not belong to the passt we expected, so no signal was sent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NotPasstError } from "@passtkit/supervisor";
 * const error = new NotPasstError(42, "its program is '/usr/bin/sleep'");
 * assert.equal(error.message, "process 42 is not passt: its program is '/usr/bin/sleep'");
 * ```
 */
export class NotPasstError extends SupervisorError {
  /** The PID that was checked. */
  readonly pid: number;
  /** Why it is not the expected passt. */
  readonly reason: string;

  /**
   * Creates the error.
   *
   * @param pid The PID that was checked.
   * @param reason Why it is not the expected passt.
   */
  constructor(pid: number, reason: string) {
    super(`process ${pid} is not passt: ${reason}`);
    this.name = "NotPasstError";
    this.pid = pid;
    this.reason = reason;
  }
}

/**
 * A state directory cannot be used: it is not a directory, or the user passt
 * runs as cannot write to it or reach it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { StateDirError } from "@passtkit/supervisor";
 * assert.equal(new StateDirError("/x", "it is a file").message, "state directory '/x' cannot be used: it is a file");
 * ```
 */
export class StateDirError extends SupervisorError {
  /** The directory. */
  readonly path: string;

  /**
   * Creates the error.
   *
   * @param path The directory.
   * @param reason Why it cannot be used.
   */
  constructor(path: string, reason: string) {
    super(`state directory '${path}' cannot be used: ${reason}`);
    this.name = "StateDirError";
    this.path = path;
  }
}

/**
 * A socket or PID file is in use by a live process, so it was not replaced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InUseError } from "@passtkit/supervisor";
 * assert.match(new InUseError("/run/p/a.sock", 7).message, /pid 7/);
 * ```
 */
export class InUseError extends SupervisorError {
  /** The socket or PID file path. */
  readonly path: string;
  /** The live process, when known. */
  readonly pid: number | undefined;

  /**
   * Creates the error.
   *
   * @param path The socket or PID file.
   * @param pid The process using it, when known.
   */
  constructor(path: string, pid?: number) {
    super(
      `'${path}' is in use by a running passt${
        pid === undefined ? "" : ` (pid ${pid})`
      }; stop it first`,
    );
    this.name = "InUseError";
    this.path = path;
    this.pid = pid;
  }
}

/** One member of a group that failed to start. */
export interface GroupStartFailure {
  /** The member's name. */
  readonly name: string;
  /** Why it failed. */
  readonly error: Error;
}

/**
 * Some members of a group failed to start; every member that did start was
 * stopped again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GroupStartError } from "@passtkit/supervisor";
 * const error = new GroupStartError([{ name: "net1", error: new Error("boom") }], 2);
 * assert.equal(error.message, "1 of 2 passt instances failed to start: net1: boom");
 * ```
 */
export class GroupStartError extends SupervisorError {
  /** The members that failed, with their errors. */
  readonly failures: readonly GroupStartFailure[];

  /**
   * Creates the error.
   *
   * @param failures The members that failed.
   * @param total How many members the group had.
   */
  constructor(failures: readonly GroupStartFailure[], total: number) {
    super(
      `${failures.length} of ${total} passt instances failed to start: ` +
        failures.map((f) => `${f.name}: ${f.error.message}`).join("; "),
      { cause: failures[0]?.error },
    );
    this.name = "GroupStartError";
    this.failures = failures;
  }
}

/** The last non-empty line of passt's output, for one-line messages. */
function lastLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.at(-1) ?? "";
}

/** glibc's getopt messages, prefixed by the program name (`passt: `). */
const GETOPT =
  /^\S+: ((?:unrecognized|invalid) option\b.*|option requires an argument\b.*|option '[^']*' (?:doesn't allow|requires) an argument.*|option '[^']*' is ambiguous.*)$/;

/**
 * Lines passt prints when it gives up, 2023 and newest.
 */
const FAILURE = [
  /^(?:Failed|Invalid|Multiple|Can't|Cannot|Couldn't|Unable|Bad|Overlapping|Extra non-option|PID file open|Listen failed|All listens failed)\b/,
  /conflicts? with|conflict:|already in use|mutually exclusive|only allowed for|for pasta mode only|No such device|too (?:long|large)|not enabled|unsupported|cannot be specified together/,
];

/** Lines that look like failures but are warnings passt goes on after. */
const WARNING = [
  /^Failed to send \d+ bytes to syslog$/,
  /^Can't run AVX2 build/,
  /^Couldn't get any nameserver address/,
  /^Can't bind socket for (?:TCP|UDP) port \d+ to .*, closing$/,
];

/**
 * The line of passt's output that says why it failed: the first line that
 * states a failure (getopt's complaint, `Failed to …`, `Invalid …`, …),
 * else the last line before any usage text, else the last line.
 */
function failureReason(text: string): string {
  const all = text.split("\n");
  const usage = all.findIndex((l) => /^Usage: /.test(l));
  const lines = (usage < 0 ? all : all.slice(0, usage))
    .map((l) => l.trim())
    .filter((l) => l !== "" && !WARNING.some((w) => w.test(l)));
  for (const line of lines) {
    const getopt = GETOPT.exec(line);
    if (getopt) return withSince(getopt[1]!);
    if (FAILURE.some((f) => f.test(line))) return line;
  }
  return lines.at(-1) ?? lastLine(text);
}

/** Adds the release that brought an option getopt did not know. */
function withSince(message: string): string {
  const m = /^unrecognized option '(--[^'=]+)/.exec(message) ??
    /^invalid option -- '(.)'/.exec(message);
  if (!m) return message;
  const option = m[1]!.startsWith("--") ? m[1]! : `-${m[1]}`;
  const since = OPTION_SINCE[option];
  return since === undefined
    ? message
    : `${message} (added in passt ${since}; install a newer passt)`;
}

/**
 * A group's start was interrupted by SIGINT, SIGTERM or SIGHUP (or its abort
 * signal); every passt that had started was stopped again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InterruptedError } from "@passtkit/supervisor";
 * assert.equal(new InterruptedError("SIGINT").signal, "SIGINT");
 * ```
 */
export class InterruptedError extends SupervisorError {
  /** The signal, or `abort` for an abort signal. */
  readonly signal: string;

  /**
   * Creates the error.
   *
   * @param signal The signal, or `abort`.
   */
  constructor(signal: string) {
    super(`interrupted by ${signal} while starting; every passt was stopped`);
    this.name = "InterruptedError";
    this.signal = signal;
  }
}
