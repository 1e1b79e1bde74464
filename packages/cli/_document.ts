/**
 * Loading XML files for commands and printing diagnostics in the form editors
 * understand: `FILE:LINE:COLUMN: error: MESSAGE`.
 *
 * @module
 */

import {
  type Diagnostic,
  parse,
  validate,
  type XmlDocument,
  XmlParseError,
} from "@passtkit/xml";
import {
  type CommandIo,
  InputOutputError,
  jsonLine,
  type PasstTarget,
  readInput,
  UsageError,
} from "./_command.ts";

/** A file read and parsed, or the reason it could not be parsed. */
export type LoadedDocument =
  | {
    readonly name: string;
    readonly text: string;
    readonly doc: XmlDocument;
    readonly diagnostics: readonly Diagnostic[];
  }
  | {
    readonly name: string;
    readonly text: string;
    readonly doc?: undefined;
    readonly diagnostics: readonly Diagnostic[];
  };

/**
 * Reads, parses and validates one file (`-` for standard input). XML that is
 * not well-formed becomes a single error diagnostic, so callers treat it like
 * any other invalid configuration. With `target` `false` a well-formed file
 * is not validated and has no diagnostics.
 *
 * @throws {InputOutputError} When the file cannot be read.
 */
export async function loadDocument(
  file: string,
  io: CommandIo,
  target: PasstTarget | false = "2023",
): Promise<LoadedDocument> {
  const { text, name } = await readInput(file, io);
  try {
    const doc = parse(text, { file: name });
    const diagnostics = target === false ? [] : validate(doc, { target });
    return { name, text, doc, diagnostics };
  } catch (error) {
    if (!(error instanceof XmlParseError)) throw error;
    return {
      name,
      text,
      diagnostics: [{
        severity: "error",
        code: "xml-malformed",
        message: error.reason,
        line: error.line,
        column: error.column,
      }],
    };
  }
}

/** Whether any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

const RED = "\x1b[1;31m";
const YELLOW = "\x1b[1;33m";
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/** One diagnostic as `FILE:LINE:COLUMN: SEVERITY: MESSAGE`, then ` (HINT)` if it has one. */
export function diagnosticLine(
  file: string,
  d: Diagnostic,
  color = false,
): string {
  const where = `${file}:${d.line}:${d.column}:`;
  const hint = d.hint === undefined ? "" : ` (${d.hint})`;
  if (!color) return `${where} ${d.severity}: ${d.message}${hint}`;
  const tint = d.severity === "error" ? RED : YELLOW;
  return `${BOLD}${where}${RESET} ${tint}${d.severity}:${RESET} ${d.message}${hint}`;
}

/**
 * Writes every diagnostic of a file, one per line. They go to standard output
 * when they are the command's output (`validate`, `ports`), and to standard
 * error when they accompany other output (`format`, `explain`, `args`, `run`);
 * each stream is coloured only when it is a terminal.
 */
export function printDiagnostics(
  io: CommandIo,
  file: string,
  diagnostics: readonly Diagnostic[],
  stream: "out" | "err" = "err",
): void {
  const write = stream === "out" ? io.out : io.err;
  const color = stream === "out" ? io.color : io.errColor === true;
  for (const d of diagnostics) write(diagnosticLine(file, d, color) + "\n");
}

/** A diagnostic as plain JSON (the `--json` shape); `hint` only when it has one. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    line: d.line,
    column: d.column,
  };
}

/** How {@linkcode forEachDocument} loads and reports files. */
export interface ForEachDocumentOptions {
  /** The command, for messages. */
  readonly command: string;
  /** Whether a file that cannot be read also gets a `{"file", "error"}` JSON record. */
  readonly json: boolean;
  /**
   * A `"type"` to put first in that record, for a command whose every JSON
   * record has one (`run`).
   */
  readonly recordType?: string;
  /**
   * Which passt's rules validation follows; `false` not to validate, for
   * `args` and `run`, whose `buildDomainCommands` validates the document
   * itself (so it would be checked twice).
   *
   * @default {"2023"}
   */
  readonly target?: PasstTarget | false;
}

/**
 * Loads each file in turn and hands it to `handle`. A file that cannot be
 * read is reported as one line on standard error (and, under `--json`, as a
 * `{"file", "error"}` record on standard output) and gives exit code 2.
 *
 * @returns The highest exit code of all files.
 * @throws {UsageError} When no file is given, or `-` (standard input) more than once.
 */
export async function forEachDocument(
  files: readonly string[],
  io: CommandIo,
  options: ForEachDocumentOptions,
  handle: (loaded: LoadedDocument) => number | Promise<number>,
): Promise<number> {
  if (files.length === 0) {
    throw new UsageError(
      `${options.command}: no FILE given; see 'passtkit ${options.command} --help'`,
    );
  }
  if (files.filter((f) => f === "-").length > 1) {
    // Standard input can be read only once.
    throw new UsageError(
      `${options.command}: '-' (standard input) can be given only once`,
    );
  }
  let code = 0;
  for (const file of files) {
    let loaded;
    try {
      loaded = await loadDocument(file, io, options.target);
    } catch (error) {
      if (!(error instanceof InputOutputError)) throw error;
      io.err(`passtkit: ${error.message}\n`);
      if (options.json) {
        io.out(jsonLine({
          ...(options.recordType ? { type: options.recordType } : {}),
          file: error.file ?? file,
          error: error.problem,
        }));
      }
      code = 2;
      continue;
    }
    code = Math.max(code, await handle(loaded));
  }
  return code;
}
