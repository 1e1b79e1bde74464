/**
 * Which options the installed passt has, read from `passt --help`, so a
 * caller can refuse an argv up front instead of starting a passt that
 * exits with `unrecognized option`.
 *
 * Debian's `passt --version` says "unknown version", so the option names in
 * the help text are the only reliable sign. The 2023 passt prints the help to
 * stderr and exits 1; newer passt prints it to stdout and exits 0: both
 * streams are read and the exit code is ignored.
 *
 * @module
 */

import { SupervisorError } from "./errors.ts";
import { OPTION_SINCE } from "./_since.ts";
import { scanOptions } from "./_scan.ts";

/** What the installed passt supports. */
export interface PasstFeatures {
  /** Every option its help text lists, as spelled there: `--tcp-ports`, `-t`. */
  readonly options: ReadonlySet<string>;
  /**
   * The version from `passt --version` (an upstream tag such as
   * `2026_07_16.090d739`), or `undefined` when it does not say (Debian's
   * build prints "unknown version").
   */
  readonly version: string | undefined;
}

/** Options for {@linkcode passtFeatures}. */
export interface PasstFeaturesOptions {
  /**
   * Run passt again instead of using the answer cached for this path (e.g.
   * after passt was upgraded).
   *
   * @default {false}
   */
  readonly reload?: boolean;
  /**
   * How long passt may take to answer, in milliseconds.
   *
   * @default {5000}
   */
  readonly timeoutMs?: number;
}

/**
 * The first upstream passt release that has each option added after the
 * Debian 2023 build, by spelling (`--vhost-user`, `-H`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PASST_OPTION_SINCE } from "@passtkit/supervisor";
 * assert.equal(PASST_OPTION_SINCE["--vhost-user"], "2024_12_11");
 * ```
 */
export const PASST_OPTION_SINCE: Readonly<Record<string, string>> =
  OPTION_SINCE;

const cache = new Map<string, Promise<PasstFeatures>>();

/**
 * Reads the options a passt binary supports from its `--help` text, and its
 * version from `--version`. The answer is cached per binary path (the first
 * call costs two short runs of passt, a few milliseconds).
 *
 * @param passt The passt binary: a path, or a name looked up in `PATH`.
 * @param options Cache and timeout.
 * @returns The options its help lists, and its version if it tells one.
 * @throws {SupervisorError} When passt cannot be run, or its help lists no
 *   options.
 * @example Refuse an argv the installed passt cannot run
 * ```ts ignore
 * import {
 *   passtFeatures,
 *   UnsupportedOptionError,
 *   unsupportedOptions,
 * } from "@passtkit/supervisor";
 *
 * const argv = ["passt", "--vhost-user", "--socket", "/run/passtkit/vm1/net0.socket"];
 * const missing = unsupportedOptions(argv, await passtFeatures());
 * if (missing.length > 0) throw new UnsupportedOptionError(missing);
 * // with Debian's 2023 passt: "this passt does not support --vhost-user
 * // (added in passt 2024_12_11); install a newer passt"
 * ```
 */
export function passtFeatures(
  passt: string = "passt",
  options: PasstFeaturesOptions = {},
): Promise<PasstFeatures> {
  let features = options.reload ? undefined : cache.get(passt);
  if (features === undefined) {
    features = readFeatures(passt, options.timeoutMs ?? 5000);
    cache.set(passt, features);
    // A failure (passt missing, say) is not remembered: it may be installed later.
    features.catch(() => cache.delete(passt));
  }
  return features;
}

async function output(
  passt: string,
  flag: string,
  timeoutMs: number,
): Promise<string> {
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command(passt, {
      args: [flag],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
  } catch (error) {
    throw new SupervisorError(
      `cannot run '${passt} ${flag}': ${(error as Error).message}`,
      { cause: error },
    );
  }
  const decoder = new TextDecoder();
  return decoder.decode(result.stdout) + "\n" + decoder.decode(result.stderr);
}

async function readFeatures(
  passt: string,
  timeoutMs: number,
): Promise<PasstFeatures> {
  const [help, version] = await Promise.all([
    output(passt, "--help", timeoutMs),
    output(passt, "--version", timeoutMs),
  ]);
  const found = parseHelp(help);
  if (found.size === 0) {
    throw new SupervisorError(
      `'${passt} --help' lists no options; is it passt?`,
    );
  }
  return { options: found, version: parseVersion(version) };
}

/**
 * The option spellings in a passt help text. Option lines start with
 * whitespace and the option (`  -t, --tcp-ports SPEC`, `  --runas UID`);
 * description lines do not start with `-`.
 */
function parseHelp(text: string): Set<string> {
  const found = new Set<string>();
  for (const line of text.split("\n")) {
    const m = /^\s+((?:-[A-Za-z0-9],\s*)?--?[A-Za-z0-9][A-Za-z0-9-]*)/.exec(
      line,
    );
    if (!m) continue;
    for (const option of m[1]!.split(",")) found.add(option.trim());
  }
  return found;
}

/** `passt 2026_07_16.090d739` → `2026_07_16.090d739`; `passt unknown version` → undefined. */
function parseVersion(text: string): string | undefined {
  for (const line of text.split("\n")) {
    const m = /^passt\S*\s+(\S+)/.exec(line.trim());
    if (m) return m[1] === "unknown" ? undefined : m[1];
  }
  return undefined;
}

/**
 * Lists the options of an argv that a passt does not support, as written
 * in the argv (`--vhost-user`, `-H`), each once, in order. An abbreviated
 * long option (`--tcp` for `--tcp-ports`, which getopt accepts) counts as
 * supported when it starts a supported option's name.
 *
 * @param argv passt's argv, with or without the program first.
 * @param features What the passt supports ({@linkcode passtFeatures}).
 * @returns The unsupported options; empty when the passt can run the argv.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unsupportedOptions } from "@passtkit/supervisor";
 * const debian2023 = {
 *   options: new Set(["-f", "--foreground", "-s", "--socket", "-t", "--tcp-ports"]),
 *   version: undefined,
 * };
 * assert.deepEqual(
 *   unsupportedOptions(
 *     ["passt", "-f", "--vhost-user", "-s", "/run/a.sock", "-H", "vm1", "-t", "127.0.0.1/40022:22"],
 *     debian2023,
 *   ),
 *   ["--vhost-user", "-H"],
 * );
 * ```
 */
export function unsupportedOptions(
  argv: readonly string[],
  features: PasstFeatures,
): string[] {
  const args = argv[0] !== undefined && !argv[0].startsWith("-")
    ? argv.slice(1)
    : argv;
  const missing: string[] = [];
  for (const { spelling } of scanOptions(args)) {
    if (features.options.has(spelling) || missing.includes(spelling)) continue;
    if (
      spelling.startsWith("--") &&
      [...features.options].some((o) => o.startsWith(spelling))
    ) {
      continue;
    }
    missing.push(spelling);
  }
  return missing;
}
