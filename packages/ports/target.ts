/**
 * Which passt a result is computed for.
 *
 * @module
 */

/**
 * Selects the passt whose behaviour a function follows.
 *
 * `"2023"` is Debian bookworm's `0.0~git20230309.7c7625d`; `"2026"` is the
 * newest upstream (2026-07).
 */
export interface PasstTargetOptions {
  /**
   * The passt version to follow.
   *
   * @default {"2023"}
   */
  readonly target?: "2023" | "2026";
}

/** The passt version names accepted in {@linkcode PasstTargetOptions}. */
export type PasstTarget = "2023" | "2026";

/**
 * The host ports that `all` (or a list of only exclusions) covers.
 *
 * passt 2023 forwards 0..49151 (port 0 binds a random port, a bug not
 * modelled here, so the set starts at 1); passt 2026 forwards every port
 * outside the ephemeral range 32768-60999.
 *
 * @param options Which passt to follow.
 * @returns Sorted, disjoint `[first, last]` pairs.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allPorts } from "@passtkit/ports";
 * assert.deepEqual(allPorts(), [[1, 49151]]);
 * assert.deepEqual(allPorts({ target: "2026" }), [[1, 32767], [61000, 65535]]);
 * ```
 */
export function allPorts(
  options?: PasstTargetOptions,
): readonly (readonly [number, number])[] {
  return (options?.target ?? "2023") === "2026"
    ? [[1, 32767], [61000, 65535]]
    : [[1, 49151]];
}
