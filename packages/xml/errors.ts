/**
 * Errors thrown by `@passtkit/xml`.
 *
 * @module
 */

/** The base class of every error `@passtkit/xml` throws. */
export class PasstkitXmlError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PasstkitXmlError";
  }
}

/**
 * XML that cannot be read at all: not well-formed, too large, too deeply
 * nested, declaring entities, or with an unexpected root element.
 *
 * The message has the form `FILE:LINE:COLUMN: REASON` (without `FILE:` when
 * no file name was given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse, XmlParseError } from "@passtkit/xml";
 * assert.throws(() => parse("<interface type='user'>", { file: "a.xml" }), XmlParseError);
 * ```
 */
export class XmlParseError extends PasstkitXmlError {
  /** The file name given to `parse`, if any. */
  readonly file?: string;
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column of the problem. */
  readonly column: number;
  /** The reason, without the position. */
  readonly reason: string;

  /** Creates the error from a reason and a position. */
  constructor(
    reason: string,
    position: { line: number; column: number },
    file?: string,
  ) {
    super(
      `${file ? `${file}:` : ""}${position.line}:${position.column}: ${reason}`,
    );
    this.name = "XmlParseError";
    this.reason = reason;
    this.line = position.line;
    this.column = position.column;
    if (file !== undefined) this.file = file;
  }
}
