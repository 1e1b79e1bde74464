/**
 * Test helper: find the real passt binary, and decide whether a test that
 * needs it runs, skips with a visible message, or fails
 * (`PASSTKIT_REQUIRE_PASST=1`).
 *
 * @module
 */

/** The passt binary tests use: `$PASST`, or `passt` from `PATH`. */
export const PASST: string = Deno.env.get("PASST") ?? "passt";

let found: string | null | undefined;

/** Returns the absolute path of the passt binary, or `null` when there is none. */
export function findPasst(): string | null {
  if (found !== undefined) return found;
  found = null;
  if (PASST.includes("/")) {
    try {
      if (Deno.statSync(PASST).isFile) found = PASST;
    } catch {
      // not there
    }
    return found;
  }
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (!dir) continue;
    try {
      const candidate = `${dir}/${PASST}`;
      if (Deno.statSync(candidate).isFile) {
        found = candidate;
        break;
      }
    } catch {
      // keep looking
    }
  }
  return found;
}

/** Whether tests must fail instead of skipping when passt is missing. */
export function passtRequired(): boolean {
  return Deno.env.get("PASSTKIT_REQUIRE_PASST") === "1";
}

let warned = false;

/**
 * Options for a `Deno.test` that needs the real passt: `ignore` is set (with a
 * visible message on stderr) when passt is missing, unless
 * `PASSTKIT_REQUIRE_PASST=1`, in which case the test runs and fails.
 *
 * @example
 * ```ts ignore
 * Deno.test({ name: "passt starts", ...needsPasst(), fn: async () => {} });
 * ```
 */
export function needsPasst(): { ignore: boolean } {
  const missing = findPasst() === null;
  if (missing && !passtRequired() && !warned) {
    warned = true;
    console.error(
      "SKIPPING tests that need passt: no passt binary found " +
        "(install it with 'apt-get install passt'; " +
        "set PASSTKIT_REQUIRE_PASST=1 to make this a failure).",
    );
  }
  return { ignore: missing && !passtRequired() };
}

/**
 * Throws when passt is required but missing; call at the start of a test that
 * `needsPasst()` let run, so the failure says why.
 */
export function assertPasst(): string {
  const path = findPasst();
  if (path === null) {
    throw new Error(
      `PASSTKIT_REQUIRE_PASST=1 but no passt binary was found ('${PASST}')`,
    );
  }
  return path;
}
