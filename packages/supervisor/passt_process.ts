/**
 * A supervised passt: started in the foreground as our child, ready when
 * its PID file and socket say so, watched through its exit status, restarted
 * by policy, and stopped leaving nothing behind.
 *
 * @module
 */

import { basename, dirname } from "node:path";
import { normalizeArgv, type NormalizeArgvOptions } from "./argv.ts";
import { removeStaleFiles } from "./adopt.ts";
import {
  PasstStartError,
  ReadinessTimeoutError,
  SocketNotListeningError,
  SupervisorError,
} from "./errors.ts";
import type { SupervisorEvent } from "./events.ts";
import {
  backoffDelay,
  type BackoffOptions,
  type ExitInfo,
  type RestartPolicy,
  RestartWindow,
  shouldRestart,
} from "./restart.ts";
import { waitReady } from "./readiness.ts";
import { passtUser, prepareStateDir, type RunAsUser } from "./state_dir.ts";
import { EventHub } from "./_event_hub.ts";
import { drain, OutputBuffer } from "./_output.ts";

/** Options for {@linkcode PasstProcess.start}. */
export interface PasstProcessOptions extends NormalizeArgvOptions {
  /**
   * How long passt may take to become ready, in milliseconds. The 2023 passt
   * needs about 0.1–0.2 s, plus about 35 ms per 1000 forwarded ports.
   *
   * @default {10000}
   */
  readonly readyTimeoutMs?: number;
  /**
   * How long to wait after SIGTERM before SIGKILL when stopping, in milliseconds.
   *
   * @default {3000}
   */
  readonly stopGraceMs?: number;
  /**
   * When to start passt again after it exits on its own.
   *
   * @default {"never"}
   */
  readonly restart?: RestartPolicy;
  /**
   * Delays between restarts.
   *
   * @default {{ initialMs: 100, maxMs: 10000, factor: 2 }}
   */
  readonly backoff?: BackoffOptions;
  /**
   * Restarts allowed within `restartWindowMs` before giving up.
   *
   * @default {5}
   */
  readonly maxRestarts?: number;
  /**
   * The window `maxRestarts` counts in, in milliseconds.
   *
   * @default {60000}
   */
  readonly restartWindowMs?: number;
  /**
   * A file passt's output lines are appended to (syslog noise removed).
   *
   * @default {undefined}
   */
  readonly logFile?: string;
  /**
   * How many characters of passt's latest output to keep in memory, per stream.
   *
   * @default {65536}
   */
  readonly outputLimit?: number;
  /**
   * Called with every event as it happens.
   *
   * @default {undefined}
   */
  readonly onEvent?: (event: SupervisorEvent) => void;
  /**
   * Called with every line passt prints (syslog noise removed).
   *
   * @default {undefined}
   */
  readonly onOutput?: (line: string) => void;
  /**
   * Environment variables for passt, added to ours.
   *
   * @default {undefined}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Whether to create the socket's and PID file's directories and check that
   * passt's user can write them ({@linkcode prepareStateDir}).
   *
   * @default {true}
   */
  readonly prepareStateDir?: boolean;
  /**
   * Aborting it stops the process, also while it is still starting (then
   * {@linkcode PasstProcess.start} rejects).
   *
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
}

/** Options for {@linkcode PasstProcess.stop}. */
export interface StopOptions {
  /**
   * How long to wait after SIGTERM before SIGKILL, in milliseconds.
   *
   * @default {the process's stopGraceMs}
   */
  readonly graceMs?: number;
}

/**
 * Where a supervised passt is in its life: `starting`, `ready`,
 * `restarting` (waiting for the backoff or starting again), `exited` (ended
 * and not restarted), `failed` (gave up restarting) or `stopped`.
 */
export type PasstState =
  | "starting"
  | "ready"
  | "restarting"
  | "exited"
  | "failed"
  | "stopped";

interface Run {
  readonly child: Deno.ChildProcess;
  readonly pid: number;
  readonly attempt: number;
  readonly status: Promise<Deno.CommandStatus>;
  readonly drained: Promise<unknown>;
  readonly stdout: OutputBuffer;
  readonly stderr: OutputBuffer;
}

function exitOf(status: Deno.CommandStatus): ExitInfo {
  return { code: status.signal ? null : status.code, signal: status.signal };
}

/**
 * A passt process under supervision. Create it with
 * {@linkcode PasstProcess.start}; it is ready when that resolves.
 *
 * Events are read with {@linkcode PasstProcess.events} (an async iterable
 * that replays every event from the start and ends after the last one) or
 * the `onEvent` option.
 *
 * @example
 * ```ts ignore
 * import { PasstProcess } from "@passtkit/supervisor";
 * await using passt = await PasstProcess.start(
 *   ["passt", "--address", "192.168.221.122", "-t", "127.0.0.1/40022:22"],
 *   { stateDir: "/run/passtkit/vm1", name: "net0", restart: "on-failure" },
 * );
 * console.log(passt.pid, passt.socketPath);
 * for await (const event of passt.events()) console.log(JSON.stringify(event));
 * ```
 */
export class PasstProcess implements AsyncDisposable {
  /** The instance's name, used in events. */
  readonly name: string;
  /** The command line that is run, program first. */
  readonly argv: readonly string[];
  /** The socket passt serves (absolute), or `undefined` with `--fd`. */
  readonly socketPath: string | undefined;
  /** The PID file passt writes (absolute). */
  readonly pidFile: string;
  /** The user passt runs as. */
  readonly user: RunAsUser;

  readonly #options: PasstProcessOptions;
  readonly #hub = new EventHub<SupervisorEvent>();
  readonly #abort = new AbortController();
  readonly #aborted: Promise<void>;
  #state: PasstState = "starting";
  #run: Run | undefined;
  /** The PID of the last passt spawned, for the event of a failed start. */
  #lastPid: number | undefined;
  #lastOutput = "";
  #log: Deno.FsFile | undefined;
  #starting: Promise<void> = Promise.resolve();
  #lifecycle: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;
  #graceMs: number;
  #resolveFinished!: (event: SupervisorEvent) => void;
  /** Resolves with the last event: `stopped`, `gave-up` or `exited`. */
  readonly finished: Promise<SupervisorEvent>;

  private constructor(
    argv: readonly string[],
    socketPath: string | undefined,
    pidFile: string,
    user: RunAsUser,
    options: PasstProcessOptions,
  ) {
    this.argv = argv;
    this.socketPath = socketPath;
    this.pidFile = pidFile;
    this.user = user;
    this.#options = options;
    this.#graceMs = options.stopGraceMs ?? 3000;
    this.name = options.name ??
      basename(socketPath ?? pidFile).replace(/\.(socket|sock|pid)$/, "");
    this.#aborted = new Promise((resolve) =>
      this.#abort.signal.addEventListener("abort", () => resolve(), {
        once: true,
      })
    );
    this.finished = new Promise((resolve) => this.#resolveFinished = resolve);
    if (options.onEvent) this.#hub.listen(options.onEvent);
    const external = options.signal;
    if (external) {
      const onAbort = () => void this.stop();
      if (external.aborted) onAbort();
      else external.addEventListener("abort", onAbort, { once: true });
      void this.finished.then(() =>
        external.removeEventListener("abort", onAbort)
      );
    }
  }

  /**
   * Starts passt and waits until it is ready: adds `-f`, `--socket` and
   * `--pid` when missing, prepares the state directory, removes stale files
   * of a crashed earlier run, spawns passt with its output drained, and
   * waits for its PID file and listening socket.
   *
   * @param argv passt's argv, with or without the program first.
   * @param options State directory, timeouts, restart policy, logging.
   * @returns The running, ready process.
   * @throws {ArgvError} When the argv cannot be completed.
   * @throws {StateDirError} When the state directory cannot be used.
   * @throws {InUseError} When a live passt already uses the socket or PID file.
   * @throws {PasstStartError} When passt exits before it is ready; the
   *   message holds passt's own last line.
   * @throws {ReadinessTimeoutError} When passt is not ready in time (it is
   *   stopped).
   * @throws {SocketNotListeningError} When passt runs but its socket does
   *   not listen (it is stopped).
   * @example
   * ```ts ignore
   * import { PasstProcess } from "@passtkit/supervisor";
   * await using passt = await PasstProcess.start(["-t", "127.0.0.1/40022:22"], {
   *   stateDir: "/run/passtkit",
   *   name: "vm1-net0",
   * });
   * ```
   */
  static async start(
    argv: readonly string[],
    options: PasstProcessOptions = {},
  ): Promise<PasstProcess> {
    const normalized = normalizeArgv(argv, options);
    const user = passtUser(normalized.runAs);
    if (options.prepareStateDir !== false) {
      const dirs = new Set([dirname(normalized.pidFile)]);
      if (normalized.socketPath) dirs.add(dirname(normalized.socketPath));
      for (const dir of dirs) await prepareStateDir(dir, user);
    }
    const process = new PasstProcess(
      [normalized.program, ...normalized.args],
      normalized.socketPath,
      normalized.pidFile,
      user,
      options,
    );
    process.#starting = process.#begin();
    await process.#starting;
    return process;
  }

  /** passt's PID while it runs, else `undefined`. */
  get pid(): number | undefined {
    return this.#run?.pid;
  }

  /** Where the process is in its life. */
  get state(): PasstState {
    return this.#state;
  }

  /**
   * passt's latest output (stderr, then stdout), without syslog noise.
   *
   * @returns Up to `outputLimit` characters per stream, newline-terminated lines.
   */
  output(): string {
    const run = this.#run;
    return run ? run.stderr.text() + run.stdout.text() : this.#lastOutput;
  }

  /**
   * Iterates over this process's events, from the first (`started`) to the
   * last (`stopped`, `gave-up`, or `exited` without restart). Each call
   * gives an independent iterator.
   *
   * @returns An async iterator of events.
   * @example
   * ```ts ignore
   * import { PasstProcess } from "@passtkit/supervisor";
   * await using passt = await PasstProcess.start(["-t", "127.0.0.1/40022:22"], {
   *   stateDir: "/run/passtkit",
   * });
   * for await (const event of passt.events()) console.log(event.type);
   * ```
   */
  events(): AsyncIterableIterator<SupervisorEvent> {
    return this.#hub.iterate();
  }

  /**
   * Stops passt: SIGTERM, SIGKILL after the grace time, reaps it, removes its
   * socket and PID file, cancels any pending restart. Safe to call at any
   * time and more than once; stopping a process that already ended only
   * makes sure its files are gone.
   *
   * @param options The grace time.
   * @returns Resolves when passt is gone and its files removed.
   */
  stop(options: StopOptions = {}): Promise<void> {
    if (options.graceMs !== undefined) this.#graceMs = options.graceMs;
    this.#stopping ??= (async () => {
      this.#abort.abort();
      await this.#starting.catch(() => {});
      await this.#lifecycle;
    })();
    return this.#stopping;
  }

  /** Stops the process (see {@linkcode stop}). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #emit(event: Omit<SupervisorEvent, "time" | "name">): SupervisorEvent {
    const { type, ...rest } = event;
    const full: SupervisorEvent = {
      type,
      time: new Date().toISOString(),
      name: this.name,
      ...rest,
    };
    this.#hub.emit(full);
    return full;
  }

  #finish(event: SupervisorEvent, state: PasstState): void {
    this.#state = state;
    try {
      this.#log?.close();
    } catch {
      // already closed
    }
    this.#log = undefined;
    this.#hub.close();
    this.#resolveFinished(event);
  }

  async #begin(): Promise<void> {
    if (this.#options.logFile !== undefined) {
      this.#log = await Deno.open(this.#options.logFile, {
        append: true,
        create: true,
        mode: 0o600,
      });
    }
    try {
      this.#run = await this.#launch(1);
    } catch (error) {
      if (this.#abort.signal.aborted) {
        this.#finish(this.#emit({ type: "stopped" }), "stopped");
      } else {
        this.#finish(
          this.#emit({
            type: "exited",
            attempt: 1,
            ...this.#failedStart(error),
            reason: (error as Error).message,
          }),
          "exited",
        );
      }
      throw error;
    }
    this.#state = "ready";
    this.#lifecycle = this.#supervise(this.#run);
  }

  /**
   * The PID and exit status of a passt that did not get ready (no PID when it
   * could not be spawned at all).
   */
  #failedStart(
    error: unknown,
  ): { pid?: number; code?: number | null; signal?: string | null } {
    return {
      ...(this.#lastPid !== undefined ? { pid: this.#lastPid } : {}),
      ...(error instanceof PasstStartError
        ? { code: error.exitCode, signal: error.signal }
        : {}),
    };
  }

  #onLine = (line: string): void => {
    if (this.#log) {
      try {
        this.#log.writeSync(new TextEncoder().encode(line + "\n"));
      } catch {
        // a full disk must not stop passt
      }
    }
    this.#options.onOutput?.(line);
  };

  async #launch(attempt: number): Promise<Run> {
    this.#lastPid = undefined;
    if (this.#abort.signal.aborted) {
      throw new SupervisorError("stopped before passt started");
    }
    await removeStaleFiles(this.pidFile, this.socketPath);
    const limit = this.#options.outputLimit ?? 65536;
    const [program, ...args] = this.argv;
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(program!, {
        args,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        ...(this.#options.env ? { env: { ...this.#options.env } } : {}),
      }).spawn();
    } catch (error) {
      throw new SupervisorError(
        `cannot run '${program}': ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.#lastPid = child.pid;
    const started = performance.now();
    const stdout = new OutputBuffer(limit);
    const stderr = new OutputBuffer(limit);
    const run: Run = {
      child,
      pid: child.pid,
      attempt,
      status: child.status,
      drained: Promise.all([
        drain(child.stdout, stdout, this.#onLine),
        drain(child.stderr, stderr, this.#onLine),
      ]),
      stdout,
      stderr,
    };
    this.#emit({ type: "started", pid: run.pid, attempt });
    const outcome = await waitReady({
      pidFile: this.pidFile,
      socketPath: this.socketPath,
      pid: run.pid,
      timeoutMs: this.#options.readyTimeoutMs ?? 10_000,
      exited: run.status,
      signal: this.#abort.signal,
    });
    if (outcome.ready) {
      this.#emit({
        type: "ready",
        pid: run.pid,
        attempt,
        readyMs: Math.round((performance.now() - started) * 10) / 10,
      });
      return run;
    }
    let error: Error;
    if (outcome.reason === "exited") {
      const status = await run.status;
      await run.drained;
      const { code, signal } = exitOf(status);
      error = new PasstStartError({
        exitCode: code,
        signal,
        stderr: stderr.text() + stdout.text(),
        argv: this.argv,
      });
    } else {
      await this.#terminate(run);
      const text = stderr.text() + stdout.text();
      error = outcome.reason === "timeout"
        ? new ReadinessTimeoutError(
          this.#options.readyTimeoutMs ?? 10_000,
          this.pidFile,
          text,
          this.argv,
        )
        : outcome.reason === "not-listening"
        ? new SocketNotListeningError(this.socketPath ?? "", this.user.label)
        : new SupervisorError("stopped while passt was starting");
    }
    this.#lastOutput = stderr.text() + stdout.text();
    await this.#removeFiles();
    throw error;
  }

  /** SIGTERM, SIGKILL after the grace time, reap, wait for the output to end. */
  async #terminate(run: Run): Promise<Deno.CommandStatus> {
    const kill = (signal: Deno.Signal) => {
      try {
        run.child.kill(signal);
      } catch {
        // already exited
      }
    };
    kill("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      run.status.then(() => false),
      new Promise<boolean>((resolve) =>
        timer = setTimeout(() => resolve(true), this.#graceMs)
      ),
    ]);
    clearTimeout(timer);
    if (timedOut) kill("SIGKILL");
    const status = await run.status;
    await run.drained;
    return status;
  }

  async #removeFiles(): Promise<void> {
    for (const path of [this.socketPath, this.pidFile]) {
      if (path === undefined) continue;
      try {
        await Deno.remove(path);
      } catch {
        // already gone
      }
    }
  }

  /** Resolves `true` after `ms`, or `false` as soon as a stop is requested. */
  async #sleep(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const slept = await Promise.race([
      new Promise<boolean>((resolve) =>
        timer = setTimeout(() => resolve(true), ms)
      ),
      this.#aborted.then(() => false),
    ]);
    clearTimeout(timer);
    return slept;
  }

  async #supervise(first: Run): Promise<void> {
    const policy = this.#options.restart ?? "never";
    const window = new RestartWindow(
      this.#options.maxRestarts ?? 5,
      this.#options.restartWindowMs ?? 60_000,
    );
    let run: Run | undefined = first;
    let attempt = first.attempt;
    while (true) {
      const current: Run = run!;
      const ended = await Promise.race([
        current.status.then(() => true),
        this.#aborted.then(() => false),
      ]);
      if (!ended) {
        await this.#terminate(current);
        break;
      }
      const status = await current.status;
      await current.drained;
      this.#lastOutput = current.stderr.text() + current.stdout.text();
      this.#run = undefined;
      let exit = exitOf(status);
      let lastExit = this.#emit({
        type: "exited",
        pid: current.pid,
        attempt: current.attempt,
        ...exit,
      });
      await this.#removeFiles();
      run = undefined;
      while (run === undefined) {
        if (this.#abort.signal.aborted) break;
        if (!shouldRestart(policy, exit)) {
          this.#finish(lastExit, "exited");
          return;
        }
        const n = window.next(Date.now());
        if (n === undefined) {
          const event = this.#emit({
            type: "gave-up",
            attempt,
            reason: `restarted ${this.#options.maxRestarts ?? 5} times within ${
              this.#options.restartWindowMs ?? 60_000
            } ms`,
          });
          this.#finish(event, "failed");
          return;
        }
        const delayMs = backoffDelay(n, this.#options.backoff);
        attempt++;
        this.#state = "restarting";
        this.#emit({ type: "restarting", attempt, delayMs });
        if (!(await this.#sleep(delayMs))) break;
        try {
          run = await this.#launch(attempt);
          this.#run = run;
          this.#state = "ready";
        } catch (error) {
          if (this.#abort.signal.aborted) break;
          exit = error instanceof PasstStartError
            ? { code: error.exitCode, signal: error.signal }
            : { code: null, signal: null };
          lastExit = this.#emit({
            type: "exited",
            attempt,
            ...this.#failedStart(error),
            ...exit,
            reason: (error as Error).message,
          });
        }
      }
      if (run === undefined) break;
    }
    this.#run = undefined;
    await this.#removeFiles();
    this.#finish(this.#emit({ type: "stopped" }), "stopped");
  }
}
