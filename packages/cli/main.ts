/**
 * The `passtkit` command line: `deno run -A packages/cli/main.ts COMMAND ...`.
 *
 * @module
 */

import { runCli } from "./run_cli.ts";

if (import.meta.main) {
  const code = await runCli(Deno.args);
  Deno.exit(code);
}
