/**
 * The events a supervised passt goes through. Each is a plain,
 * JSON-serialisable object, so a command line can print it as one JSON line.
 *
 * @module
 */

/**
 * What happened:
 * - `started`: passt was spawned (`pid`, `attempt`);
 * - `ready`: its PID file holds its PID and its socket listens (`pid`,
 *   `attempt`, `readyMs`);
 * - `exited`: it ended without being asked to (`pid`, `code` or `signal`,
 *   and `reason` with passt's last message when it had not become ready);
 * - `restarting`: a restart is scheduled (`attempt`, `delayMs`);
 * - `gave-up`: no more restarts (`reason`: the restart cap was reached);
 * - `stopped`: it was stopped on request and its files were removed.
 *
 * The last event of a process is `stopped`, `gave-up`, or `exited` when the
 * restart policy does not restart it.
 */
export type SupervisorEventType =
  | "started"
  | "ready"
  | "exited"
  | "restarting"
  | "gave-up"
  | "stopped";

/**
 * One lifecycle event of a supervised passt.
 *
 * @example
 * ```ts
 * import type { SupervisorEvent } from "@passtkit/supervisor";
 * const event: SupervisorEvent = {
 *   type: "exited",
 *   time: "2025-01-01T00:00:00.000Z",
 *   name: "net0",
 *   pid: 1234,
 *   code: null,
 *   signal: "SIGKILL",
 * };
 * console.log(JSON.stringify(event));
 * ```
 */
export interface SupervisorEvent {
  /** What happened. */
  readonly type: SupervisorEventType;
  /** When, as an ISO 8601 timestamp. */
  readonly time: string;
  /** The instance's name (a group member's name, or the socket's base name). */
  readonly name: string;
  /** passt's PID, when there is one. */
  readonly pid?: number;
  /** Exit code (`exited`), or `null` when a signal ended it. */
  readonly code?: number | null;
  /** Signal that ended it (`exited`), or `null`. */
  readonly signal?: string | null;
  /** Start attempt: 1 for the first start, then one more per restart. */
  readonly attempt?: number;
  /** Delay before the restart (`restarting`), in milliseconds. */
  readonly delayMs?: number;
  /** Time from spawn to ready (`ready`), in milliseconds. */
  readonly readyMs?: number;
  /** A human-readable reason (`exited` before ready, `gave-up`). */
  readonly reason?: string;
}
