/**
 * Test helper: run a `passtkit` command in this process, through the same
 * dispatcher as `main.ts`, with its standard streams captured.
 *
 * @module
 */

import { type CommandIo, runCli } from "@passtkit/cli";

/** What a captured run wrote and how it ended. */
export interface Captured {
  /** The exit code. */
  code: number;
  /** Everything written to standard output. */
  out: string;
  /** Everything written to standard error. */
  err: string;
}

/** A {@linkcode CommandIo} that keeps what is written, and its two texts so far. */
export interface CapturedIo {
  /** The streams to hand a command. */
  readonly io: CommandIo;
  /** Everything written to standard output so far. */
  readonly out: () => string;
  /** Everything written to standard error so far. */
  readonly err: () => string;
}

/**
 * Makes colourless streams that keep what is written, with `stdin` as
 * standard input.
 *
 * @example
 * ```ts ignore
 * const { io, out } = captureIo();
 * await command.run({ values: {}, positionals: [], io });
 * console.log(out());
 * ```
 */
export function captureIo(stdin = ""): CapturedIo {
  let out = "";
  let err = "";
  return {
    io: {
      out: (text) => void (out += text),
      err: (text) => void (err += text),
      readStdin: () => Promise.resolve(stdin),
      color: false,
    },
    out: () => out,
    err: () => err,
  };
}

/**
 * Runs `passtkit ARGS` (the command word first) with captured streams.
 *
 * @example
 * ```ts ignore
 * const { code, out, err } = await runCaptured(["ports", "--spec", "22"]);
 * ```
 */
export async function runCaptured(
  args: readonly string[],
  stdin = "",
): Promise<Captured> {
  const { io, out, err } = captureIo(stdin);
  const code = await runCli(args, io);
  return { code, out: out(), err: err() };
}
