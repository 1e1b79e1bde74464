/**
 * Reading and completing a passt argv: find `--socket`, `--pid`, `--runas`,
 * add `-f`, `--socket` and `--pid` when they are missing.
 *
 * @module
 */

import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { ArgvError } from "./errors.ts";
import { LONG_WITH_VALUE, scanOptions } from "./_scan.ts";

/** The longest socket path the 2023 passt binds without cutting it. */
export const MAX_SOCKET_PATH_BYTES = 98;

/**
 * Returns the value of a passt option in an argv, in any of its spellings
 * (`-s X`, `-sX`, `--socket X`, `--socket=X`); the last one wins.
 *
 * @param argv passt's arguments, with or without the program first.
 * @param name The long option name, e.g. `socket`, `pid`, `runas`.
 * @returns The value, or `undefined` when the option is absent.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { optionValue } from "@passtkit/supervisor";
 * assert.equal(optionValue(["passt", "-fs", "/run/a.sock"], "socket"), "/run/a.sock");
 * assert.equal(optionValue(["--pid=/run/a.pid"], "pid"), "/run/a.pid");
 * ```
 */
export function optionValue(
  argv: readonly string[],
  name: string,
): string | undefined {
  const { args } = splitProgram(argv);
  const matches = scanOptions(args).filter((o) =>
    o.name === name || (name === "socket" && o.name === "socket-path")
  );
  return matches.at(-1)?.value;
}

/** Splits a leading program path off an argv (passt takes no positionals). */
function splitProgram(
  argv: readonly string[],
): { program: string | undefined; args: string[] } {
  const first = argv[0];
  if (first !== undefined && !first.startsWith("-")) {
    return { program: first, args: argv.slice(1) };
  }
  return { program: undefined, args: [...argv] };
}

/** Options for {@linkcode normalizeArgv}. */
export interface NormalizeArgvOptions {
  /**
   * Directory for the socket and PID file when the argv names none.
   *
   * @default {undefined} (then the argv must contain `--socket`)
   */
  readonly stateDir?: string;
  /**
   * Base name for files made in `stateDir`: `<name>.socket`, `<name>.pid`.
   *
   * @default {"passt"}
   */
  readonly name?: string;
  /**
   * The passt binary, used when the argv does not start with a program.
   *
   * @default {"passt"}
   */
  readonly passt?: string;
}

/** A complete passt command line plus the paths the supervisor watches. */
export interface NormalizedArgv {
  /** The program to run. */
  readonly program: string;
  /** The arguments after the program, with `-f`, `--socket`, `--pid` present. */
  readonly args: readonly string[];
  /** The absolute socket path, or `undefined` with `--fd`. */
  readonly socketPath: string | undefined;
  /** The absolute PID file path. */
  readonly pidFile: string;
  /** The `--runas` value, if any. */
  readonly runAs: string | undefined;
  /** Whether `--one-off` is set (passt then exits 0 when its client leaves). */
  readonly oneOff: boolean;
}

/**
 * Completes a passt argv for supervision: adds `-f` (a supervised passt must
 * stay in the foreground), adds `--socket` and `--pid` in `stateDir` when
 * missing (the PID file next to the socket when only that is given), and
 * makes their paths absolute.
 *
 * @param argv passt's argv, with or without the program first.
 * @param options Where to put missing files and what to call them.
 * @returns The program, full arguments and the socket and PID file paths.
 * @throws {ArgvError} When there is no socket and no `stateDir`, when passt
 *   would daemonize in a way we cannot follow, or the socket path is longer
 *   than 98 bytes (the 2023 passt cuts it silently).
 * @example Complete a bare argv
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeArgv } from "@passtkit/supervisor";
 * const n = normalizeArgv(["passt", "-t", "127.0.0.1/40022:22"], {
 *   stateDir: "/run/passtkit",
 *   name: "vm1-net0",
 * });
 * assert.deepEqual(n.args, [
 *   "-f",
 *   "-t",
 *   "127.0.0.1/40022:22",
 *   "--socket",
 *   "/run/passtkit/vm1-net0.socket",
 *   "--pid",
 *   "/run/passtkit/vm1-net0.pid",
 * ]);
 * assert.equal(n.pidFile, "/run/passtkit/vm1-net0.pid");
 * ```
 */
export function normalizeArgv(
  argv: readonly string[],
  options: NormalizeArgvOptions = {},
): NormalizedArgv {
  const { program, args } = splitProgram(argv);
  const found = scanOptions(args);
  const last = (name: string) => found.filter((o) => o.name === name).at(-1);
  for (const option of found) {
    if (LONG_WITH_VALUE.has(option.name) && option.value === undefined) {
      throw new ArgvError(`passt option '--${option.name}' needs a value`);
    }
  }
  const out = [...args];
  // Relative paths would be resolved by passt against our cwd; make that explicit.
  for (const name of ["socket", "socket-path", "pid"]) {
    for (const o of found.filter((f) => f.name === name)) {
      if (o.value !== undefined && !isAbsolute(o.value)) {
        out[o.valueIndex] = o.valuePrefix + resolve(o.value);
      }
    }
  }
  if (!found.some((o) => o.name === "foreground")) out.unshift("-f");

  const name = options.name ?? "passt";
  const fd = last("fd");
  const socketValue = last("socket")?.value ?? last("socket-path")?.value;
  let socketPath = socketValue === undefined ? undefined : resolve(socketValue);
  if (socketPath === undefined && fd === undefined) {
    if (options.stateDir === undefined) {
      throw new ArgvError(
        "the passt argv has no '--socket' and no state directory was given",
      );
    }
    socketPath = join(resolve(options.stateDir), `${name}.socket`);
    out.push("--socket", socketPath);
  }
  if (
    socketPath !== undefined &&
    new TextEncoder().encode(socketPath).length > MAX_SOCKET_PATH_BYTES
  ) {
    throw new ArgvError(
      `socket path '${socketPath}' is longer than ${MAX_SOCKET_PATH_BYTES} bytes; passt would bind a shortened path`,
    );
  }

  let pidFile = last("pid")?.value;
  if (pidFile === undefined) {
    if (options.stateDir !== undefined) {
      pidFile = join(resolve(options.stateDir), `${name}.pid`);
    } else if (socketPath !== undefined) {
      const base = basename(socketPath).replace(/\.(socket|sock)$/, "");
      pidFile = join(dirname(socketPath), `${base}.pid`);
    } else {
      throw new ArgvError(
        "the passt argv has no '--pid' and no state directory was given",
      );
    }
    out.push("--pid", pidFile);
  } else {
    pidFile = resolve(pidFile);
  }
  return {
    program: program ?? options.passt ?? "passt",
    args: out,
    socketPath,
    pidFile,
    runAs: last("runas")?.value,
    oneOff: found.some((o) => o.name === "one-off"),
  };
}
