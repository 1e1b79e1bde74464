/**
 * The shape every `passtkit` command has, and the small I/O helpers they share.
 *
 * A command only parses its arguments (with `node:util` `parseArgs`) and calls
 * the library packages; no rule lives here.
 *
 * @module
 */

/** The streams and environment a command runs with; tests pass their own. */
export interface CommandIo {
  /** Writes text to standard output. */
  readonly out: (text: string) => void;
  /** Writes text to standard error. */
  readonly err: (text: string) => void;
  /** Reads all of standard input as text. */
  readonly readStdin: () => Promise<string>;
  /** Whether colour may be used on standard output. */
  readonly color: boolean;
  /**
   * Whether colour may be used on standard error, which is often not the same
   * kind of stream as standard output (`passtkit args vm.xml > cmd.sh`).
   *
   * @default {false}
   */
  readonly errColor?: boolean;
  /**
   * Why writing to standard output failed (other than the reader going
   * away), once it has; the command then ends with exit status 2.
   *
   * @default {undefined}
   */
  readonly outError?: () => string | undefined;
}

/** One option of a command, as `parseArgs` takes it plus help text. */
export interface CommandOption {
  /** `"boolean"` for a flag, `"string"` for an option that takes a value. */
  readonly type: "boolean" | "string";
  /** One-letter short form. */
  readonly short?: string;
  /** Whether the option may be given more than once. */
  readonly multiple?: boolean;
  /** Placeholder for the value in help text, e.g. `DIR`. */
  readonly value?: string;
  /** One line of help. */
  readonly help: string;
}

/** What the dispatcher hands a command once its arguments are parsed. */
export interface CommandContext {
  /** Parsed option values, keyed by long option name. */
  readonly values: Readonly<
    Record<string, string | boolean | (string | boolean)[] | undefined>
  >;
  /** Positional arguments (after options; everything after `--` included). */
  readonly positionals: readonly string[];
  /** Standard streams. */
  readonly io: CommandIo;
}

/** A `passtkit` command. */
export interface Command {
  /** The command word, e.g. `validate`. */
  readonly name: string;
  /** One line saying what it does. */
  readonly summary: string;
  /** The usage line after `passtkit`, e.g. `validate [--json] FILE...`. */
  readonly usage: string;
  /** Longer description shown by `--help` (optional). */
  readonly description?: string;
  /** Options by long name. `--help` is added by the dispatcher. */
  readonly options: Readonly<Record<string, CommandOption>>;
  /** At least one example command line, without the leading `passtkit`. */
  readonly examples: readonly string[];
  /**
   * Added to the message for an unknown option, when the command knows a
   * likely cause (e.g. `import` without `--` before the passt command line).
   */
  readonly unknownOptionHint?: string;
  /** Runs the command and returns the exit code (0 ok, 1 invalid/failed, 2 usage or I/O). */
  readonly run: (ctx: CommandContext) => Promise<number>;
}

/** An error in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  /** Creates a usage error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The structured fields of an {@linkcode InputOutputError}. */
export interface InputOutputErrorOptions extends ErrorOptions {
  /** The file, as the user named it. */
  readonly file?: string;
  /** What went wrong, without the file name, e.g. `cannot read: no such file`. */
  readonly problem?: string;
}

/** A file that could not be read or written: printed as one line, exit code 2. */
export class InputOutputError extends Error {
  /** The file, as the user named it, when known. */
  readonly file: string | undefined;
  /** What went wrong, without the file name (the whole message when not given). */
  readonly problem: string;

  /** Creates an I/O error; `message` names the file, `options` give the parts of it. */
  constructor(message: string, options: InputOutputErrorOptions = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "InputOutputError";
    this.file = options.file;
    this.problem = options.problem ?? message;
  }
}

/**
 * Reads a command's input file, or standard input for `-`.
 *
 * @param file A path, or `-` for standard input.
 * @param io The command's streams.
 * @returns The text and the name to show in messages (`<stdin>` for `-`).
 * @throws {InputOutputError} When the file cannot be read.
 * @example
 * ```ts ignore
 * const { text, name } = await readInput("examples/seed.xml", io);
 * ```
 */
export async function readInput(
  file: string,
  io: CommandIo,
): Promise<{ text: string; name: string }> {
  if (file === "-") return { text: await io.readStdin(), name: "<stdin>" };
  try {
    return { text: await Deno.readTextFile(file), name: file };
  } catch (error) {
    const problem = `cannot read: ${describeError(error)}`;
    throw new InputOutputError(`${file}: ${problem}`, {
      file,
      problem,
      cause: error,
    });
  }
}

/** A short reason for a failed file operation, without a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  if (error instanceof Deno.errors.NotADirectory) {
    return "a part of the path is not a directory";
  }
  if (error instanceof Error) {
    // "Not a directory (os error 20): stat '/x/y'": the reason alone.
    return error.message.replace(/\s*\(os error \d+\).*$/s, "");
  }
  return String(error);
}

/**
 * The string value of an option, or `undefined` when it was not given.
 *
 * @example
 * ```ts ignore
 * const dir = stringOption(values, "state-dir");
 * ```
 */
export function stringOption(
  values: CommandContext["values"],
  name: string,
): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** Which passt's rules a command follows. */
export type PasstTarget = "2023" | "2026";

/** The `--target` option, the same for every command that has it. */
export const TARGET_OPTION: CommandOption = {
  type: "string",
  value: "2023|2026",
  help:
    "which passt's rules: 2023 (Debian 12's passt, the default) or 2026 (newest)",
};

/**
 * Reads `--target`, `"2023"` when it is not given.
 *
 * @throws {UsageError} For any other value, naming the command.
 */
export function targetOf(
  values: CommandContext["values"],
  commandName: string,
): PasstTarget {
  const target = stringOption(values, "target") ?? "2023";
  if (target !== "2023" && target !== "2026") {
    throw new UsageError(
      `${commandName}: --target must be 2023 or 2026, not '${target}'`,
    );
  }
  return target;
}

/** Formats one JSON Lines record. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value) + "\n";
}
