// Low-level helpers over the source text: offsets to line/column, attribute
// positions inside a start tag, and a nesting-depth pre-scan that runs before
// the real parser (which recurses and would overflow the stack on very deep
// documents).

import type { AttributeSource, SourcePosition } from "./model.ts";

/** Maps string offsets to 1-based line and column. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
      this.#starts.push(i + 1);
    }
  }

  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.#starts[lo] ?? 0) + 1 };
  }
}

const ATTRIBUTE = /([^\s=/>"']+)\s*=\s*("[^"]*"|'[^']*')/y;

/**
 * Finds where each attribute name starts inside the start tag at `start`,
 * pairing them with the decoded values the parser gave.
 */
export function attributeSources(
  text: string,
  start: number,
  values: Readonly<Record<string, string>>,
  lines: LineIndex,
): Record<string, AttributeSource> {
  const result: Record<string, AttributeSource> = {};
  let i = start + 1;
  while (i < text.length && !/[\s/>]/.test(text[i] ?? "")) i++;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? "")) i++;
    const c = text[i];
    if (c === undefined || c === ">" || c === "/") break;
    ATTRIBUTE.lastIndex = i;
    const match = ATTRIBUTE.exec(text);
    if (!match) break;
    const name = match[1] ?? "";
    const value = values[name];
    if (value !== undefined) {
      result[name] = { value, ...lines.position(i) };
    }
    i = ATTRIBUTE.lastIndex;
  }
  return result;
}

/** The reason and offset of a structural limit that was exceeded, or `null`. */
export function checkDepth(
  text: string,
  maxDepth: number,
): { reason: string; offset: number } | null {
  let depth = 0;
  let i = text.indexOf("<");
  while (i !== -1 && i < text.length) {
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end === -1) return null; // the parser reports it
      i = text.indexOf("<", end + 3);
      continue;
    }
    if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i + 9);
      if (end === -1) return null;
      i = text.indexOf("<", end + 3);
      continue;
    }
    if (text.startsWith("<!DOCTYPE", i)) {
      const subset = text.indexOf("[", i);
      const close = text.indexOf(">", i);
      if (subset !== -1 && (close === -1 || subset < close)) {
        return {
          reason:
            "document type declarations with an internal subset are not accepted (entities are never expanded)",
          offset: i,
        };
      }
      i = close === -1 ? -1 : text.indexOf("<", close + 1);
      continue;
    }
    if (text[i + 1] === "?" || text[i + 1] === "!") {
      const end = text.indexOf(">", i + 2);
      i = end === -1 ? -1 : text.indexOf("<", end + 1);
      continue;
    }
    if (text[i + 1] === "/") {
      depth--;
      const end = text.indexOf(">", i + 2);
      i = end === -1 ? -1 : text.indexOf("<", end + 1);
      continue;
    }
    // A start tag: find its end, skipping quoted attribute values.
    let j = i + 1;
    let quote = "";
    for (; j < text.length; j++) {
      const c = text[j];
      if (quote) {
        if (c === quote) quote = "";
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === ">") {
        break;
      }
    }
    if (j >= text.length) return null;
    if (text[j - 1] !== "/") {
      depth++;
      if (depth > maxDepth) {
        return {
          reason: `elements are nested more than ${maxDepth} levels deep`,
          offset: i,
        };
      }
    }
    i = text.indexOf("<", j + 1);
  }
  return null;
}
