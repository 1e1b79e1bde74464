/**
 * What a set of passt port forwards really forwards: the effective host →
 * guest port map of libvirt `<portForward>` ranges or of a passt
 * `--tcp-ports` / `--udp-ports` spec, their problems, and the spec text.
 *
 * Mirrors libvirt's range semantics and the spec text its
 * `src/qemu/qemu_passt.c` writes, and passt's spec grammar and behaviour in
 * the 2023 (Debian 12) and 2026 versions.
 *
 * @example The seed's forward
 * ```ts
 * import assert from "node:assert/strict";
 * import { effectiveMap, formatForward, guestPortFor, parseSpec } from "@passtkit/ports";
 *
 * const forward = {
 *   proto: "tcp",
 *   address: "10.0.0.1",
 *   dev: "eth0",
 *   ranges: [
 *     { start: 2022, to: 22 },
 *     { start: 5000, end: 5099, to: 1000 },
 *     { start: 5010, end: 5029, exclude: true },
 *   ],
 * } as const;
 * const spec = formatForward(forward);
 * assert.equal(spec, "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029");
 * const map = effectiveMap(parseSpec(spec).forward);
 * assert.equal(guestPortFor(map, 5050), 1050);
 * assert.equal(guestPortFor(map, 5015), undefined);
 * ```
 *
 * @module
 */
export type * from "./types.ts";
export * from "./target.ts";
export * from "./format_spec.ts";
export { effectiveMap, guestPortFor, hostPortsFor } from "./effective_map.ts";
export * from "./check.ts";
export * from "./parse_spec.ts";
export * from "./explain.ts";
export { parseIPv4, parseIPv6 } from "./_address.ts";
