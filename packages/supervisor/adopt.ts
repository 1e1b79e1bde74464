/**
 * Passt processes started by someone else (libvirt-style: a daemonized
 * passt known by its PID file): check that a PID really is that passt, stop
 * it, watch it, and clean files a crashed run left behind.
 *
 * PIDs get reused, so before any signal the process's program
 * (`/proc/PID/exe`: `passt` or `passt.avx2`) and its
 * command line (the same `--pid` file) are checked, and its start time is
 * remembered so a PID reused while we wait is not signalled.
 *
 * @module
 */

import { basename, dirname, join, normalize, resolve } from "node:path";
import { optionValue } from "./argv.ts";
import { InUseError, NotPasstError, SupervisorError } from "./errors.ts";
import {
  isPasstProgram,
  mayBeInUse,
  readCmdline,
  readExe,
  readStat,
} from "./_proc.ts";
import { readPidFile } from "./readiness.ts";

/** What was found out about a passt process. */
export interface PasstIdentity {
  /** Its PID. */
  readonly pid: number;
  /** Its program, or `null` when `/proc/PID/exe` may not be read. */
  readonly exe: string | null;
  /** Its command line. */
  readonly cmdline: readonly string[];
  /** The socket from its command line, made absolute, if any. */
  readonly socketPath: string | undefined;
  /** The PID file from its command line, made absolute. */
  readonly pidFile: string;
  /** Its start time in clock ticks after boot, to tell a reused PID apart. */
  readonly startTime: number;
}

/**
 * Checks that `pid` is a live passt started with `--pid pidFile`.
 *
 * @param pid The process to check.
 * @param pidFile The PID file its command line must name.
 * @returns What was found.
 * @throws {NotPasstError} When the process is gone, is not a passt binary, or
 *   names another PID file.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { identifyPasst, NotPasstError } from "@passtkit/supervisor";
 * await assert.rejects(identifyPasst(Deno.pid, "/run/x.pid"), NotPasstError);
 * ```
 */
export async function identifyPasst(
  pid: number,
  pidFile: string,
): Promise<PasstIdentity> {
  const stat = await readStat(pid);
  if (stat === undefined || stat.state === "Z") {
    throw new NotPasstError(pid, "no such process");
  }
  const exe = await readExe(pid);
  if (exe === undefined) throw new NotPasstError(pid, "no such process");
  // Without access to the exe link (another user's process), use its name.
  const program = exe ?? stat.comm;
  if (!isPasstProgram(program)) {
    throw new NotPasstError(pid, `its program is '${program}'`);
  }
  const cmdline = await readCmdline(pid);
  if (cmdline === undefined) throw new NotPasstError(pid, "no such process");
  const named = optionValue(cmdline, "pid");
  const wanted = resolve(pidFile);
  const place = named === undefined
    ? undefined
    : launchResolver(named, wanted) ??
      (named === pidFile ? (path: string) => resolve(path) : undefined);
  if (named === undefined || place === undefined) {
    throw new NotPasstError(
      pid,
      named === undefined
        ? `its command line has no --pid (expected '${wanted}')`
        : `its PID file is '${named}', not '${wanted}'`,
    );
  }
  const socket = optionValue(cmdline, "socket");
  return {
    pid,
    exe,
    cmdline,
    socketPath: socket === undefined ? undefined : place(socket),
    pidFile: wanted,
    startTime: stat.startTime,
  };
}

/**
 * How passt's relative paths resolve, as far as its `--pid` value tells: a
 * relative one was taken from the directory passt started in, which `/proc`
 * no longer shows (passt changes its root), so that directory is the part
 * of the absolute `wanted` path before the value (less any leading `../`).
 * Returns a resolver for the other paths of its command line (`undefined`
 * for one that cannot be placed), or `undefined` when `named` and `wanted`
 * disagree.
 */
function launchResolver(
  named: string,
  wanted: string,
): ((path: string) => string | undefined) | undefined {
  if (named.startsWith("/")) {
    return resolve(named) === wanted
      ? (path) => resolve(dirname(wanted), path)
      : undefined;
  }
  const up = (path: string) => {
    const parts = normalize(path).split("/");
    let n = 0;
    while (parts[n] === "..") n++;
    return { n, rest: parts.slice(n).join("/") };
  };
  const pid = up(named);
  if (pid.rest === "" || !wanted.endsWith(`/${pid.rest}`)) return undefined;
  // `base` is `n` directories above the one passt started in.
  const base = wanted.slice(0, -pid.rest.length - 1) || "/";
  return (path) => {
    if (path.startsWith("/")) return resolve(path);
    const other = up(path);
    // Deeper below the start directory than `base` reaches: unknown.
    if (other.n < pid.n) return undefined;
    return resolve(base, "../".repeat(other.n - pid.n), other.rest);
  };
}

/** Whether the process is still the one identified (not gone, not a zombie, not reused). */
async function stillRunning(identity: PasstIdentity): Promise<boolean> {
  const stat = await readStat(identity.pid);
  return stat !== undefined && stat.state !== "Z" &&
    stat.startTime === identity.startTime;
}

async function waitGone(
  identity: PasstIdentity,
  timeoutMs: number,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  let delay = 2;
  while (await stillRunning(identity)) {
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 50);
  }
  return true;
}

async function removeIfPresent(
  path: string | undefined,
  removed: string[],
): Promise<void> {
  if (path === undefined) return;
  try {
    await Deno.remove(path);
    removed.push(path);
  } catch (error) {
    if (missing(error)) return;
    throw new SupervisorError(
      `cannot remove '${path}': ${ioReason(error)}`,
      { cause: error },
    );
  }
}

/** Whether an error means nothing is at the path. */
function missing(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound ||
    error instanceof Deno.errors.NotADirectory;
}

/** Options for stopping an adopted passt. */
export interface StopPidFileOptions {
  /**
   * The socket to remove; by default the `--socket` of the process's command
   * line (unknown when the process is already gone).
   *
   * @default {undefined}
   */
  readonly socketPath?: string;
  /**
   * How long to wait after SIGTERM before SIGKILL, in milliseconds.
   *
   * @default {3000}
   */
  readonly graceMs?: number;
}

/**
 * How {@linkcode stopPidFile} ended: `terminated` (exited after SIGTERM),
 * `killed` (needed SIGKILL), `already-gone` (the file names a process that
 * has exited; the file was removed), or `no-pidfile` (there is no file at
 * that path, so there was nothing to stop).
 */
export type StopPidFileOutcome =
  | "terminated"
  | "killed"
  | "already-gone"
  | "no-pidfile";

/** What {@linkcode stopPidFile} did. */
export interface StopPidFileResult {
  /** The PID from the file, if it held one. */
  readonly pid: number | undefined;
  /** How it ended; see {@linkcode StopPidFileOutcome}. */
  readonly outcome: StopPidFileOutcome;
  /** The files that were removed. */
  readonly removed: readonly string[];
  /** Paths asked to be removed that were left in place, and why. */
  readonly kept: readonly KeptPath[];
}

/** A path {@linkcode stopPidFile} was asked to remove but left in place. */
export interface KeptPath {
  /** The path. */
  readonly path: string;
  /**
   * Why: `"not a socket"`, `"in use"` (something listens on it), or
   * `"not named *.pid"` (the PID file of a process that is gone, whose name
   * does not say it is one).
   */
  readonly reason: "not a socket" | "in use" | "not named *.pid";
}

/**
 * Stops the passt named by a PID file: verifies the PID is that passt,
 * sends SIGTERM, waits, sends SIGKILL after `graceMs`, then removes the PID
 * file and the socket (passt removes neither). A missing
 * file (`no-pidfile`) or a process already gone (`already-gone`) is not an
 * error: what is gone needs no stopping. The socket is `socketPath`, else the
 * `--socket` of passt's command line, else (when the process is gone) the
 * PID file's sibling by libvirt's naming (`X-passt.pid` → `X.socket`); it is
 * removed only when it is a socket nothing listens on, and listed in `kept`
 * otherwise.
 *
 * @param pidFile The PID file.
 * @param options The socket to remove and the grace time.
 * @returns What happened and which files were removed.
 * @throws {NotPasstError} When the PID belongs to something else (nothing is
 *   signalled or removed).
 * @throws {SupervisorError} When the path is a directory or cannot be read,
 *   the file holds no PID, or the process survives SIGKILL.
 * @example A PID file that does not exist
 * ```ts
 * import assert from "node:assert/strict";
 * import { stopPidFile } from "@passtkit/supervisor";
 * const result = await stopPidFile("/nonexistent/vm-net0.pid");
 * assert.equal(result.outcome, "no-pidfile");
 * ```
 * @example Stop a passt libvirt started
 * ```ts ignore
 * import { stopPidFile } from "@passtkit/supervisor";
 * const result = await stopPidFile("/run/libvirt/qemu/passt/vm-net0-passt.pid");
 * console.log(result.outcome); // "terminated"
 * ```
 */
export async function stopPidFile(
  pidFile: string,
  options: StopPidFileOptions = {},
): Promise<StopPidFileResult> {
  const removed: string[] = [];
  const kept: KeptPath[] = [];
  let text: string;
  try {
    const info = await Deno.stat(pidFile);
    if (info.isDirectory) {
      throw new SupervisorError(`'${pidFile}' is a directory, not a PID file`);
    }
    if (!info.isFile) {
      throw new SupervisorError(`'${pidFile}' is not a regular file`);
    }
    text = await Deno.readTextFile(pidFile);
  } catch (error) {
    if (error instanceof SupervisorError) throw error;
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) {
      await removeStaleSocket(options.socketPath, removed, kept);
      return { pid: undefined, outcome: "no-pidfile", removed, kept };
    }
    throw new SupervisorError(
      `cannot read PID file '${pidFile}': ${ioReason(error)}`,
      { cause: error },
    );
  }
  const m = /^\s*(\d+)\s*$/.exec(text);
  if (!m) {
    throw new SupervisorError(
      `PID file '${pidFile}' does not hold a PID${
        text === "" ? " (it is empty; passt may still be starting)" : ""
      }`,
    );
  }
  const pid = Number(m[1]);
  const stat = await readStat(pid);
  if (stat === undefined || stat.state === "Z") {
    // Nothing tells whose file this was; a PID file's name is the last check.
    if (basename(pidFile).endsWith(".pid")) {
      await removeIfPresent(pidFile, removed);
    } else {
      kept.push({ path: pidFile, reason: "not named *.pid" });
    }
    // The command line that named the socket is gone with the process: the
    // socket is the one given, else the PID file's sibling by name (only a
    // socket nothing listens on is removed).
    await removeStaleSocket(
      options.socketPath ?? siblingSocket(pidFile),
      removed,
      kept,
    );
    return { pid, outcome: "already-gone", removed, kept };
  }
  const identity = await identifyPasst(pid, pidFile);
  const adopted = new AdoptedPasst(identity, options.socketPath);
  const outcome = await adopted.stop({ graceMs: options.graceMs });
  return {
    pid,
    outcome,
    removed: [...removed, ...adopted.removed],
    kept: [...kept, ...adopted.kept],
  };
}

/** A Deno I/O error in a few words, without "(os error N)" and the path. */
function ioReason(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\(os error \d+\).*$/s, "");
}

/**
 * Removes a socket nothing listens on. Anything else at that path (a file,
 * a directory, a socket in use) is left alone and listed in `kept`.
 */
async function removeStaleSocket(
  path: string | undefined,
  removed: string[],
  kept: KeptPath[] = [],
): Promise<void> {
  if (path === undefined) return;
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (missing(error)) return;
    throw new SupervisorError(
      `cannot look at '${path}': ${ioReason(error)}`,
      { cause: error },
    );
  }
  if (!info.isSocket) {
    kept.push({ path, reason: "not a socket" });
    return;
  }
  // Another spelling of a live passt's socket must not pass for stale.
  if (await mayBeInUse(path, { relativeByName: true })) {
    kept.push({ path, reason: "in use" });
    return;
  }
  await removeIfPresent(path, removed);
}

/**
 * The socket that goes with a PID file by the naming libvirt and passtkit
 * use: `X-passt.pid` → `X.socket`, `X.pid` → `X.socket`.
 */
function siblingSocket(pidFile: string): string | undefined {
  const name = basename(pidFile);
  const stem = name.endsWith("-passt.pid")
    ? name.slice(0, -"-passt.pid".length)
    : name.endsWith(".pid")
    ? name.slice(0, -".pid".length)
    : undefined;
  return stem ? join(dirname(resolve(pidFile)), `${stem}.socket`) : undefined;
}

/** Options for {@linkcode adoptPasst}. */
export interface AdoptOptions {
  /**
   * The socket to remove on stop; by default the command line's `--socket`.
   *
   * @default {undefined}
   */
  readonly socketPath?: string;
  /**
   * How often {@linkcode AdoptedPasst.exited} checks `/proc` (a process that
   * is not our child cannot be awaited), in milliseconds.
   *
   * @default {250}
   */
  readonly pollMs?: number;
}

/** Options for {@linkcode AdoptedPasst.stop}. */
export interface AdoptedStopOptions {
  /**
   * How long to wait after SIGTERM before SIGKILL, in milliseconds.
   *
   * @default {3000}
   */
  readonly graceMs?: number;
}

/**
 * Takes charge of a running passt that another program started, found by its
 * PID file.
 *
 * @param pidFile The PID file the passt was started with (`--pid`).
 * @param options The socket to clean up and the watch interval.
 * @returns The adopted passt; `await using` stops it at the end of the scope.
 * @throws {NotPasstError} When the PID is not that passt or is gone.
 * @throws {SupervisorError} When the PID file is missing or holds no PID.
 * @example
 * ```ts ignore
 * import { adoptPasst } from "@passtkit/supervisor";
 * await using passt = await adoptPasst("/run/libvirt/qemu/passt/vm-net0-passt.pid");
 * await passt.exited; // resolves when it ends
 * ```
 */
export async function adoptPasst(
  pidFile: string,
  options: AdoptOptions = {},
): Promise<AdoptedPasst> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined) {
    throw new SupervisorError(
      `PID file '${pidFile}' is missing or holds no PID`,
    );
  }
  return new AdoptedPasst(
    await identifyPasst(pid, pidFile),
    options.socketPath,
    options.pollMs,
  );
}

/**
 * A passt started by someone else. Signals are sent only while its PID still
 * has the start time it had when identified.
 *
 * @example
 * ```ts ignore
 * import { adoptPasst } from "@passtkit/supervisor";
 * const passt = await adoptPasst("/run/passt/vm-net0.pid");
 * console.log(passt.pid, passt.socketPath);
 * await passt.stop();
 * ```
 */
export class AdoptedPasst implements AsyncDisposable {
  /** What was verified about the process. */
  readonly identity: PasstIdentity;
  /** The socket removed on stop, if known. */
  readonly socketPath: string | undefined;
  readonly #pollMs: number;
  #exited: Promise<void> | undefined;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #stopping: Promise<"terminated" | "killed" | "already-gone"> | undefined;
  #removed: string[] = [];
  #kept: KeptPath[] = [];

  /**
   * Wraps an identified passt; use {@linkcode adoptPasst} instead.
   *
   * @param identity What {@linkcode identifyPasst} found.
   * @param socketPath The socket to remove on stop (default: from the command line).
   * @param pollMs How often `exited` checks `/proc`.
   */
  constructor(identity: PasstIdentity, socketPath?: string, pollMs = 250) {
    this.identity = identity;
    this.socketPath = socketPath ?? identity.socketPath;
    this.#pollMs = pollMs;
  }

  /** The process's PID. */
  get pid(): number {
    return this.identity.pid;
  }

  /** The files removed by {@linkcode stop}. */
  get removed(): readonly string[] {
    return this.#removed;
  }

  /** Paths {@linkcode stop} left in place (see {@linkcode KeptPath}). */
  get kept(): readonly KeptPath[] {
    return this.#kept;
  }

  /**
   * Whether the process is still running (and is still the same process).
   *
   * @returns `false` once it has exited.
   */
  alive(): Promise<boolean> {
    return stillRunning(this.identity);
  }

  /**
   * Resolves when the process has exited. It is not our child, so this checks
   * `/proc` every `pollMs`; the check stops when the process is stopped.
   */
  get exited(): Promise<void> {
    this.#exited ??= new Promise<void>((resolvePromise) => {
      const tick = async () => {
        if (this.#stopping !== undefined || !(await this.alive())) {
          this.#pollTimer = undefined;
          resolvePromise();
          return;
        }
        this.#pollTimer = setTimeout(tick, this.#pollMs);
      };
      void tick();
    });
    return this.#exited;
  }

  /**
   * Stops it: SIGTERM, SIGKILL after the grace time, then removes its PID
   * file and socket. Calling it again returns the same result.
   *
   * @param options The grace time.
   * @returns `terminated`, `killed`, or `already-gone`.
   * @throws {SupervisorError} When the process survives SIGKILL.
   */
  stop(
    options: AdoptedStopOptions = {},
  ): Promise<"terminated" | "killed" | "already-gone"> {
    this.#stopping ??= this.#stop(options.graceMs ?? 3000);
    return this.#stopping;
  }

  async #stop(
    graceMs: number,
  ): Promise<"terminated" | "killed" | "already-gone"> {
    clearTimeout(this.#pollTimer);
    let outcome: "terminated" | "killed" | "already-gone" = "already-gone";
    if (await this.#signal("SIGTERM")) {
      outcome = "terminated";
      if (!(await waitGone(this.identity, graceMs))) {
        outcome = "killed";
        await this.#signal("SIGKILL");
        if (!(await waitGone(this.identity, 5000))) {
          throw new SupervisorError(`passt ${this.pid} survived SIGKILL`);
        }
      }
    }
    await removeIfPresent(this.identity.pidFile, this.#removed);
    await removeStaleSocket(this.socketPath, this.#removed, this.#kept);
    return outcome;
  }

  /** Sends a signal if the PID is still this passt; `false` when it is gone. */
  async #signal(signal: Deno.Signal): Promise<boolean> {
    if (!(await stillRunning(this.identity))) return false;
    try {
      Deno.kill(this.pid, signal);
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
  }

  /** Stops the process (see {@linkcode stop}). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * Removes a socket and PID file left by a crashed earlier run, after checking
 * that no live passt owns them (passt never removes them itself, and a stale
 * root-owned socket makes the 2023 passt run without listening).
 *
 * @param pidFile The PID file.
 * @param socketPath The socket, if any.
 * @returns The files that were removed.
 * @throws {InUseError} When a live passt holds the PID file, or something
 *   listens on the socket.
 * @throws {SupervisorError} When the socket path exists but is not a socket.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { removeStaleFiles } from "@passtkit/supervisor";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.pid`, "999999999\n");
 * assert.deepEqual(await removeStaleFiles(`${dir}/a.pid`, `${dir}/a.socket`), [`${dir}/a.pid`]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function removeStaleFiles(
  pidFile: string,
  socketPath: string | undefined,
): Promise<string[]> {
  const removed: string[] = [];
  const pid = await readPidFile(pidFile);
  if (pid !== undefined) {
    try {
      await identifyPasst(pid, pidFile);
      throw new InUseError(pidFile, pid);
    } catch (error) {
      if (!(error instanceof NotPasstError)) throw error;
    }
  }
  if (socketPath !== undefined) {
    let info: Deno.FileInfo | undefined;
    try {
      info = await Deno.lstat(socketPath);
    } catch {
      // nothing there
    }
    if (info !== undefined) {
      if (await mayBeInUse(socketPath)) throw new InUseError(socketPath);
      if (!info.isSocket) {
        throw new SupervisorError(
          `'${socketPath}' exists and is not a socket; not removing it`,
        );
      }
    }
  }
  await removeIfPresent(pidFile, removed);
  await removeIfPresent(socketPath, removed);
  return removed;
}
