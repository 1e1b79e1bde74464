/**
 * The `passtkit` command line as a library: run it with your own arguments
 * and streams (for scripts and tests), or run `main.ts` directly.
 *
 * @example Run `passtkit --version` and capture its output
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli, VERSION } from "@passtkit/cli";
 *
 * let out = "";
 * const code = await runCli(["--version"], {
 *   out: (text) => void (out += text),
 *   err: () => {},
 *   readStdin: () => Promise.resolve(""),
 *   color: false,
 *   errColor: false,
 * });
 * assert.equal(code, 0);
 * assert.equal(out, `passtkit ${VERSION}\n`);
 * ```
 *
 * @module
 */
export { commandHelp, processIo, runCli, VERSION } from "./run_cli.ts";
export type {
  Command,
  CommandContext,
  CommandIo,
  CommandOption,
  InputOutputErrorOptions,
} from "./_command.ts";
export { InputOutputError, UsageError } from "./_command.ts";
