/**
 * Port-range arithmetic for passt's `--tcp-ports` / `--udp-ports`.
 *
 * @module
 */
export type * from "./types.ts";
