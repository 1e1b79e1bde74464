/**
 * Quoting an argv for a POSIX shell, so that pasting the text runs exactly
 * that argv.
 *
 * @module
 */

// Characters that need no quoting anywhere in a word for sh, bash, dash and
// zsh (default options). `=` is left out (a first word with `=` is an assignment, and bash
// expands `~` after `=` even in arguments); `~` is safe only after the first
// character of a word with no `=`, which the test below checks.
const SAFE = /^[A-Za-z0-9_@%+:,./~-]+$/;

/**
 * Quotes one word for a POSIX shell: unchanged when it holds only safe
 * characters (`A-Z a-z 0-9 _ @ % + : , . / -`, and `~` when not first),
 * otherwise in single quotes, with each `'` written as `'\''`. The empty
 * string becomes `''`.
 *
 * @param word The word.
 * @returns The quoted word.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellQuoteWord } from "@passtkit/args";
 *
 * assert.equal(shellQuoteWord("10.0.0.1%eth0/2022:22,~5010-5029"), "10.0.0.1%eth0/2022:22,~5010-5029");
 * assert.equal(shellQuoteWord("~22"), "'~22'");
 * assert.equal(shellQuoteWord("it's here"), "'it'\\''s here'");
 * assert.equal(shellQuoteWord(""), "''");
 * ```
 */
export function shellQuoteWord(word: string): string {
  if (SAFE.test(word) && !word.startsWith("~")) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Quotes an argv as one POSIX shell command line: each word quoted with
 * {@linkcode shellQuoteWord}, joined with spaces. Pasting the result into
 * sh, bash or dash runs exactly `argv`, with no expansion of any kind.
 *
 * @param argv The words, the program first.
 * @returns The command line, without a trailing newline.
 * @throws {TypeError} When a word contains a NUL character, which no argv can hold.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellQuote } from "@passtkit/args";
 *
 * assert.equal(
 *   shellQuote(["passt", "--log-file", "/tmp/my log", "--tcp-ports", "~22"]),
 *   "passt --log-file '/tmp/my log' --tcp-ports '~22'",
 * );
 * ```
 */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((word) => {
    if (word.includes("\0")) {
      throw new TypeError(
        `An argument cannot contain a NUL character: ${JSON.stringify(word)}`,
      );
    }
    return shellQuoteWord(word);
  }).join(" ");
}
