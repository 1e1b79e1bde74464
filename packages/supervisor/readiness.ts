/**
 * Readiness of a passt: its PID file holds its PID and its socket listens,
 * checked without ever connecting to the socket
 * (a probe connection would count as passt's one client).
 *
 * @module
 */

import { watchFile } from "./_dir_watch.ts";
import { isListening } from "./_proc.ts";

/**
 * Reads a PID file.
 *
 * @param path The PID file.
 * @returns The PID, or `undefined` when the file is missing, empty (passt
 *   opens it early and writes it last) or does not hold a number.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPidFile } from "@passtkit/supervisor";
 * assert.equal(await readPidFile("/nonexistent/passt.pid"), undefined);
 * ```
 */
export async function readPidFile(path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
  const m = /^\s*(\d+)\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Options for {@linkcode waitReady}. */
export interface WaitReadyOptions {
  /** The PID file passt writes when it is set up. */
  readonly pidFile: string;
  /**
   * The socket that must be listening; not checked when absent (`--fd`).
   *
   * @default {undefined}
   */
  readonly socketPath?: string;
  /**
   * The PID the file must hold (a foreground passt writes its own).
   *
   * @default {undefined} (any PID)
   */
  readonly pid?: number;
  /**
   * How long to wait, in milliseconds.
   *
   * @default {10000}
   */
  readonly timeoutMs?: number;
  /**
   * Settles when passt has exited; the wait then ends at once.
   *
   * @default {undefined}
   */
  readonly exited?: Promise<unknown>;
  /**
   * Ends the wait early.
   *
   * @default {undefined}
   */
  readonly signal?: AbortSignal;
}

/** The result of {@linkcode waitReady}. */
export type ReadyOutcome =
  | { readonly ready: true; readonly pid: number }
  | {
    readonly ready: false;
    readonly reason: "exited" | "timeout" | "aborted" | "not-listening";
    readonly pid?: number;
  };

/** Poll interval when the directory is watched: only a safety net. */
const SAFETY_POLL_MS = 50;
/** Poll interval when watching failed. */
const FALLBACK_POLL_MS = 10;
/** How long a written PID file may precede a listening socket. */
const LISTEN_GRACE_MS = 200;

/**
 * Waits until passt is ready: woken by file-system events on the PID file
 * (one shared watcher per directory), by passt's exit, or by a slow safety
 * poll; then confirms in `/proc/PID/net/unix` that the socket is in LISTEN
 * state.
 *
 * @param options The files to watch, the expected PID, the timeout.
 * @returns `{ ready: true, pid }`, or why it is not ready.
 * @example
 * ```ts ignore
 * import { waitReady } from "@passtkit/supervisor";
 * const child = new Deno.Command("passt", {
 *   args: ["-f", "-s", "/run/passtkit/net0.socket", "-P", "/run/passtkit/net0.pid"],
 * }).spawn();
 * const outcome = await waitReady({
 *   pidFile: "/run/passtkit/net0.pid",
 *   socketPath: "/run/passtkit/net0.socket",
 *   pid: child.pid,
 *   exited: child.status,
 * });
 * console.log(outcome.ready);
 * ```
 */
export async function waitReady(
  options: WaitReadyOptions,
): Promise<ReadyOutcome> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let wake: () => void = () => {};
  let woken = false;
  const poke = () => {
    woken = true;
    wake();
  };
  let stop: "exited" | "timeout" | "aborted" | undefined;
  const end = (why: "exited" | "timeout" | "aborted") => {
    stop ??= why;
    poke();
  };
  const watch = watchFile(options.pidFile, poke);
  const deadline = setTimeout(() => end("timeout"), timeoutMs);
  const onAbort = () => end("aborted");
  options.signal?.addEventListener("abort", onAbort);
  if (options.signal?.aborted) end("aborted");
  options.exited?.then(() => end("exited"), () => end("exited"));
  const pollMs = watch.active ? SAFETY_POLL_MS : FALLBACK_POLL_MS;
  let poll: ReturnType<typeof setTimeout> | undefined;
  try {
    while (true) {
      const pid = await readPidFile(options.pidFile);
      if (
        pid !== undefined && (options.pid === undefined || pid === options.pid)
      ) {
        if (options.socketPath === undefined) return { ready: true, pid };
        return await confirmListening(options.socketPath, pid, () => stop);
      }
      if (stop !== undefined) return { ready: false, reason: stop };
      if (!woken) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          poll = setTimeout(resolve, pollMs);
        });
        clearTimeout(poll);
      }
      woken = false;
    }
  } finally {
    clearTimeout(deadline);
    clearTimeout(poll);
    options.signal?.removeEventListener("abort", onAbort);
    await watch.release();
  }
}

async function confirmListening(
  socketPath: string,
  pid: number,
  stopped: () => string | undefined,
): Promise<ReadyOutcome> {
  const until = Date.now() + LISTEN_GRACE_MS;
  while (true) {
    if (await isListening(socketPath, pid)) return { ready: true, pid };
    if (stopped() === "exited") return { ready: false, reason: "exited", pid };
    if (Date.now() >= until) {
      return { ready: false, reason: "not-listening", pid };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
