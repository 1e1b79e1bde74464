/**
 * Test helper: run the `passtkit` command line as a user does, in a separate
 * `deno run` process, with arguments and optional standard input.
 *
 * @module
 */

const MAIN = new URL("../packages/cli/main.ts", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;

/** What a `passtkit` run printed and how it ended. */
export interface CliResult {
  /** The exit code. */
  readonly code: number;
  /** Everything written to standard output. */
  readonly stdout: string;
  /** Everything written to standard error. */
  readonly stderr: string;
}

/** Options for {@linkcode passtkit}. */
export interface CliOptions {
  /** Text to feed to standard input. */
  readonly stdin?: string;
  /** Working directory; the repository root by default. */
  readonly cwd?: string;
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
  /** SIGTERM the command after this many milliseconds (a hang guard). */
  readonly timeoutMs?: number;
}

/** Options for {@linkcode spawnPasstkit}. */
export interface SpawnOptions {
  /** Working directory; the repository root by default. */
  readonly cwd?: string;
  /** Extra environment variables (`NO_COLOR=1` is always set). */
  readonly env?: Record<string, string>;
  /** Standard input; closed by default. */
  readonly stdin?: "piped" | "null";
  /** Standard output; piped by default. */
  readonly stdout?: "piped" | "null";
  /** Standard error; piped by default. */
  readonly stderr?: "piped" | "null";
}

/**
 * Starts `deno run -A --quiet packages/cli/main.ts ...args`, without colour,
 * and leaves the process to the caller.
 *
 * @example
 * ```ts ignore
 * const child = spawnPasstkit(["run", "vm.xml"], { stdout: "null" });
 * ```
 */
export function spawnPasstkit(
  args: readonly string[],
  options: SpawnOptions = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...options.env },
    stdin: options.stdin ?? "null",
    stdout: options.stdout ?? "piped",
    stderr: options.stderr ?? "piped",
  }).spawn();
}

/** Runs `deno run -A packages/cli/main.ts ...args` and collects its output. */
export async function passtkit(
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const child = spawnPasstkit(args, {
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin === undefined ? "null" : "piped",
  });
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
  }, options.timeoutMs ?? 60_000);
  const { code, stdout, stderr } = await child.output().finally(() =>
    clearTimeout(timer)
  );
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

/** The repository root, for building paths to examples. */
export const REPO_ROOT: string = ROOT;
