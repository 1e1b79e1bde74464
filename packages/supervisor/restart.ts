/**
 * Restart policy and exponential backoff for supervised passt processes.
 *
 * @module
 */

/**
 * When a passt that exited on its own is started again:
 * - `never`: it is not;
 * - `on-failure`: when it exited with a non-zero code or was killed by a
 *   signal (SIGTERM makes passt exit 0, so `passt` stopped by someone else
 *   with SIGTERM, or `--one-off` ending, is not restarted);
 * - `always`: after every exit the supervisor did not ask for.
 */
export type RestartPolicy = "never" | "on-failure" | "always";

/** The restart policies, for option parsing. */
export const RESTART_POLICIES: readonly RestartPolicy[] = [
  "never",
  "on-failure",
  "always",
];

/** Exponential backoff between restarts. */
export interface BackoffOptions {
  /**
   * Delay before the first restart, in milliseconds.
   *
   * @default {100}
   */
  readonly initialMs?: number;
  /**
   * Largest delay, in milliseconds.
   *
   * @default {10000}
   */
  readonly maxMs?: number;
  /**
   * Factor the delay grows by with each restart.
   *
   * @default {2}
   */
  readonly factor?: number;
}

/** How a process ended. */
export interface ExitInfo {
  /** Exit code, or `null` when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or `null`. */
  readonly signal: string | null;
}

/**
 * Returns the delay before restart number `attempt` (1 for the first).
 *
 * @param attempt The restart number, starting at 1.
 * @param options Initial delay, cap and growth factor.
 * @returns `min(maxMs, initialMs × factor^(attempt-1))`, in milliseconds.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffDelay } from "@passtkit/supervisor";
 * assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n)), [100, 200, 400, 800]);
 * assert.equal(backoffDelay(20, { initialMs: 100, maxMs: 5000 }), 5000);
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
): number {
  const initial = options.initialMs ?? 100;
  const max = options.maxMs ?? 10_000;
  const factor = options.factor ?? 2;
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(max, Math.round(initial * factor ** (n - 1)));
}

/**
 * Whether a policy restarts a process that ended this way.
 *
 * @param policy The restart policy.
 * @param exit How the process ended.
 * @returns `true` when it should be started again.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shouldRestart } from "@passtkit/supervisor";
 * assert.equal(shouldRestart("on-failure", { code: null, signal: "SIGKILL" }), true);
 * assert.equal(shouldRestart("on-failure", { code: 0, signal: null }), false);
 * assert.equal(shouldRestart("always", { code: 0, signal: null }), true);
 * ```
 */
export function shouldRestart(policy: RestartPolicy, exit: ExitInfo): boolean {
  switch (policy) {
    case "never":
      return false;
    case "always":
      return true;
    case "on-failure":
      return exit.signal !== null || exit.code !== 0;
  }
}

/**
 * Counts restarts in a sliding time window and says when the cap is reached.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RestartWindow } from "@passtkit/supervisor";
 * const window = new RestartWindow(2, 60_000);
 * assert.equal(window.next(0), 1);
 * assert.equal(window.next(10), 2);
 * assert.equal(window.next(20), undefined); // a third restart within a minute: give up
 * assert.equal(window.next(70_000), 1); // the window has moved on
 * ```
 */
export class RestartWindow {
  readonly #max: number;
  readonly #windowMs: number;
  #times: number[] = [];

  /**
   * Creates a window allowing `maxRestarts` restarts per `windowMs`.
   *
   * @param maxRestarts Restarts allowed within the window.
   * @param windowMs The window length in milliseconds.
   */
  constructor(maxRestarts: number, windowMs: number) {
    this.#max = maxRestarts;
    this.#windowMs = windowMs;
  }

  /**
   * Records a restart at `now` if the cap allows it.
   *
   * @param now The current time in milliseconds.
   * @returns The restart's number within the window (1-based, for the
   *   backoff), or `undefined` when the cap is reached.
   */
  next(now: number): number | undefined {
    this.#times = this.#times.filter((t) => now - t < this.#windowMs);
    if (this.#times.length >= this.#max) return undefined;
    this.#times.push(now);
    return this.#times.length;
  }
}
