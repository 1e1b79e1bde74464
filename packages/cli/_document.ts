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
import { type CommandIo, readInput } from "./_command.ts";

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
 * any other invalid configuration.
 *
 * @throws {InputOutputError} When the file cannot be read.
 */
export async function loadDocument(
  file: string,
  io: CommandIo,
): Promise<LoadedDocument> {
  const { text, name } = await readInput(file, io);
  try {
    const doc = parse(text, { file: name });
    return { name, text, doc, diagnostics: validate(doc) };
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

/** One diagnostic as `FILE:LINE:COLUMN: SEVERITY: MESSAGE`. */
export function diagnosticLine(
  file: string,
  d: Diagnostic,
  color = false,
): string {
  const where = `${file}:${d.line}:${d.column}:`;
  if (!color) return `${where} ${d.severity}: ${d.message}`;
  const tint = d.severity === "error" ? RED : YELLOW;
  return `${BOLD}${where}${RESET} ${tint}${d.severity}:${RESET} ${d.message}`;
}

/** Writes every diagnostic of a file, one per line, to `write` (standard error by default). */
export function printDiagnostics(
  io: CommandIo,
  file: string,
  diagnostics: readonly Diagnostic[],
  write: (text: string) => void = io.err,
): void {
  for (const d of diagnostics) write(diagnosticLine(file, d, io.color) + "\n");
}

/** A diagnostic as plain JSON (the `--json` shape). */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    line: d.line,
    column: d.column,
  };
}
