/**
 * Supervises real passt processes: starts them in the foreground as our
 * children, knows when they are ready (PID file written and socket
 * listening, checked in `/proc` without connecting), watches their exit
 * status, restarts them by policy with exponential backoff, and stops them
 * leaving no process, socket or PID file behind. Also stops or watches a
 * passt started by someone else, from its PID file, after checking the PID
 * really is that passt; and starts a domain's passt instances as a group.
 *
 * It takes a passt argv and depends on no other passtkit package.
 *
 * @example Pure helpers: complete an argv and compute the restart backoff
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffDelay, normalizeArgv } from "@passtkit/supervisor";
 *
 * const { args, socketPath } = normalizeArgv(
 *   ["passt", "--address", "192.168.221.122"],
 *   { stateDir: "/run/passtkit/vm1", name: "net0" },
 * );
 * assert.equal(args[0], "-f");
 * assert.equal(socketPath, "/run/passtkit/vm1/net0.socket");
 * assert.equal(backoffDelay(3, { initialMs: 100, factor: 2 }), 400);
 * ```
 *
 * @example Run one passt for the length of a scope
 * ```ts ignore
 * import { PasstProcess } from "@passtkit/supervisor";
 *
 * await using passt = await PasstProcess.start(
 *   ["passt", "--address", "192.168.221.122", "-t", "127.0.0.1/40022:22"],
 *   { stateDir: "/run/passtkit/vm1", name: "net0", restart: "on-failure" },
 * );
 * console.log(`-netdev stream,id=net0,server=off,addr.type=unix,addr.path=${passt.socketPath}`);
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export * from "./argv.ts";
export * from "./features.ts";
export * from "./restart.ts";
export * from "./events.ts";
export * from "./state_dir.ts";
export * from "./readiness.ts";
export * from "./adopt.ts";
export * from "./passt_process.ts";
export * from "./group.ts";
