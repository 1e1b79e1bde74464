/**
 * All passt instances of a domain (one per interface), started together and
 * stopped together: on {@linkcode PasstGroup.stop}, on SIGINT, SIGTERM or SIGHUP to
 * our process, and when any of them fails to start (no half-started domain
 * is left behind).
 *
 * @module
 */

import { normalizeArgv } from "./argv.ts";
import {
  ArgvError,
  GroupStartError,
  type GroupStartFailure,
  InterruptedError,
} from "./errors.ts";
import type { SupervisorEvent } from "./events.ts";
import { PasstProcess, type PasstProcessOptions } from "./passt_process.ts";
import { EventHub } from "./_event_hub.ts";

/** One passt of a group. */
export interface GroupMember {
  /** A unique name, e.g. the interface alias `net0`; also the file base name. */
  readonly name: string;
  /** passt's argv, with or without the program first. */
  readonly argv: readonly string[];
  /** Options for this member, over the group's. */
  readonly options?: PasstProcessOptions;
}

/** Options for {@linkcode startGroup}: defaults for every member, plus these. */
export interface StartGroupOptions
  extends Omit<PasstProcessOptions, "name" | "signal"> {
  /**
   * Stop the group on SIGINT, SIGTERM and SIGHUP to our process. The listeners are
   * removed once the group has stopped.
   *
   * @default {true}
   */
  readonly handleSignals?: boolean;
  /**
   * Aborting it stops the group, also while it is starting.
   *
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
}

/** Why a group stopped: `stop()` was called, or the signal our process got. */
export type GroupStopReason =
  | "stop"
  | "abort"
  | "SIGINT"
  | "SIGTERM"
  | "SIGHUP";

// SIGHUP: the terminal `passtkit run` runs in was closed.
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Starts every member concurrently and waits until all are ready. If any
 * fails, the others are stopped and the error names each failure.
 *
 * @param members The passt instances, each with a unique name.
 * @param options Defaults for every member (state directory, restart
 *   policy, timeouts), and signal handling.
 * @returns The running group; `await using` stops it at the end of the scope.
 * @throws {ArgvError} When names or socket paths repeat.
 * @throws {GroupStartError} When any member fails to start (the others are
 *   stopped first).
 * @throws {InterruptedError} When SIGINT, SIGTERM, SIGHUP or the abort signal came
 *   during the start (everything is stopped first).
 * @example
 * ```ts ignore
 * import { startGroup } from "@passtkit/supervisor";
 * await using group = await startGroup(
 *   [
 *     { name: "net0", argv: ["passt", "-t", "127.0.0.1/40022:22"] },
 *     { name: "net1", argv: ["passt", "-t", "127.0.0.1/40023:22"] },
 *   ],
 *   { stateDir: "/run/passtkit/vm1", restart: "on-failure" },
 * );
 * for (const member of group.members) console.log(member.name, member.pid, member.socketPath);
 * console.log(await group.stopped); // "SIGINT" after Ctrl-C
 * ```
 */
export async function startGroup(
  members: readonly GroupMember[],
  options: StartGroupOptions = {},
): Promise<PasstGroup> {
  const names = new Set<string>();
  const paths = new Set<string>();
  for (const member of members) {
    if (names.has(member.name)) {
      throw new ArgvError(`two group members are named '${member.name}'`);
    }
    names.add(member.name);
    const n = normalizeArgv(member.argv, {
      ...options,
      ...member.options,
      name: member.name,
    });
    for (const path of [n.socketPath, n.pidFile]) {
      if (path === undefined) continue;
      if (paths.has(path)) {
        throw new ArgvError(`two group members use '${path}'`);
      }
      paths.add(path);
    }
  }
  const group = new PasstGroup(options);
  try {
    await group._start(members);
  } catch (error) {
    await group.stop();
    throw error;
  }
  return group;
}

/**
 * A set of passt instances started and stopped together. Create it with
 * {@linkcode startGroup}.
 *
 * @example
 * ```ts ignore
 * import { startGroup } from "@passtkit/supervisor";
 * const group = await startGroup(
 *   [{ name: "net0", argv: ["passt", "-t", "127.0.0.1/40022:22"] }],
 *   { stateDir: "/run/passtkit/vm1" },
 * );
 * for await (const event of group.events()) console.log(JSON.stringify(event));
 * ```
 */
export class PasstGroup implements AsyncDisposable {
  readonly #options: StartGroupOptions;
  readonly #hub = new EventHub<SupervisorEvent>(100_000);
  readonly #abort = new AbortController();
  readonly #members: PasstProcess[] = [];
  readonly #listeners: [Deno.Signal, () => void][] = [];
  #reason: GroupStopReason | undefined;
  #stopping: Promise<void> | undefined;
  #starting: Promise<unknown> = Promise.resolve();
  #resolveStopped!: (reason: GroupStopReason) => void;
  /** Resolves with the reason once the group has stopped and cleaned up. */
  readonly stopped: Promise<GroupStopReason>;

  /**
   * Creates an empty group; use {@linkcode startGroup} instead.
   *
   * @param options The group's options.
   */
  constructor(options: StartGroupOptions = {}) {
    this.#options = options;
    this.stopped = new Promise((resolve) => this.#resolveStopped = resolve);
    if (options.handleSignals ?? true) {
      for (const signal of SIGNALS) {
        const listener = () => void this.stop(signal);
        Deno.addSignalListener(signal, listener);
        this.#listeners.push([signal, listener]);
      }
    }
    const external = options.signal;
    if (external) {
      const onAbort = () => void this.stop("abort");
      if (external.aborted) onAbort();
      else external.addEventListener("abort", onAbort, { once: true });
      void this.stopped.then(() =>
        external.removeEventListener("abort", onAbort)
      );
    }
  }

  /** The running members, in the order given. */
  get members(): readonly PasstProcess[] {
    return this.#members;
  }

  /**
   * Finds a member by name.
   *
   * @param name The member's name.
   * @returns The member, or `undefined`.
   */
  get(name: string): PasstProcess | undefined {
    return this.#members.find((m) => m.name === name);
  }

  /**
   * Iterates over every member's events (each carries the member's `name`),
   * from the first until the group has stopped.
   *
   * @returns An async iterator of events.
   */
  events(): AsyncIterableIterator<SupervisorEvent> {
    return this.#hub.iterate();
  }

  /**
   * Starts the members; used by {@linkcode startGroup}.
   *
   * @param members The members to start.
   * @returns Resolves when all are ready.
   * @throws {GroupStartError} When any failed.
   * @throws {InterruptedError} When stopped while starting.
   */
  async _start(members: readonly GroupMember[]): Promise<void> {
    const starting = Promise.allSettled(
      members.map((member) =>
        PasstProcess.start(member.argv, {
          ...this.#options,
          ...member.options,
          name: member.name,
          signal: this.#abort.signal,
          onEvent: (event) => {
            this.#hub.emit(event);
            (member.options?.onEvent ?? this.#options.onEvent)?.(event);
          },
        })
      ),
    );
    this.#starting = starting;
    const results = await starting;
    const failures: GroupStartFailure[] = [];
    for (const [i, result] of results.entries()) {
      if (result.status === "fulfilled") this.#members.push(result.value);
      else {
        failures.push({
          name: members[i]!.name,
          error: result.reason instanceof Error
            ? result.reason
            : new Error(String(result.reason)),
        });
      }
    }
    if (this.#reason !== undefined) throw new InterruptedError(this.#reason);
    if (failures.length > 0) {
      throw new GroupStartError(failures, members.length);
    }
  }

  /**
   * Stops every member (each: SIGTERM, SIGKILL after the grace time, files
   * removed) and removes the signal listeners. Safe to call more than once.
   *
   * @param reason Why; recorded in {@linkcode stopped}.
   * @returns Resolves when all members are stopped.
   */
  stop(reason: GroupStopReason = "stop"): Promise<void> {
    this.#reason ??= reason;
    this.#stopping ??= (async () => {
      this.#abort.abort();
      // Members still starting see the abort; wait for them to wind down.
      const results = await this.#starting;
      for (const result of results as PromiseSettledResult<PasstProcess>[]) {
        if (
          result.status === "fulfilled" && !this.#members.includes(result.value)
        ) {
          this.#members.push(result.value);
        }
      }
      await Promise.allSettled(this.#members.map((m) => m.stop()));
      for (const [signal, listener] of this.#listeners) {
        Deno.removeSignalListener(signal, listener);
      }
      this.#listeners.length = 0;
      this.#hub.close();
      this.#resolveStopped(this.#reason!);
    })();
    return this.#stopping;
  }

  /** Stops the group (see {@linkcode stop}). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
