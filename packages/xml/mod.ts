/**
 * Reads, checks and writes libvirt's passt `<interface>` XML exactly as
 * libvirt does.
 *
 * @example Parse an interface
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "@passtkit/xml";
 *
 * const doc = parse("<interface type='user'><backend type='passt'/></interface>");
 * assert.equal(doc.interfaces[0]?.backend?.type, "passt");
 * ```
 *
 * @module
 */
export type * from "./model.ts";
export * from "./errors.ts";
export * from "./parse.ts";
export * from "./address.ts";
export * from "./format.ts";
export * from "./validate.ts";
export * from "./explain.ts";
export * from "./interface_alias.ts";
export * from "./passt_forwards.ts";
