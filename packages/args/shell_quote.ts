/**
 * Quoting an argv for a POSIX shell, so that pasting the text runs exactly
 * that argv.
 *
 * @module
 */

// Characters that need no quoting in a word for sh, bash, dash and zsh
// (default options), with the exceptions in isSafe.
const SAFE = /^[A-Za-z0-9_@%+=:,./~-]+$/;

function isSafe(word: string): boolean {
  return SAFE.test(word) &&
    // `~` first is tilde expansion; `=` first is zsh's `=command`.
    !/^[~=]/.test(word) &&
    // A first word `NAME=…` is an assignment.
    !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) &&
    // bash expands `~` after `=` and `:` in words that look like assignments.
    !(word.includes("=") && word.includes("~"));
}

/**
 * Quotes one word for a POSIX shell: unchanged when it holds only safe
 * characters (`A-Z a-z 0-9 _ @ % + = : , . / ~ -`) and none of them can
 * expand (no `~` or `=` first, no `NAME=` assignment form, not both `=` and
 * `~`), otherwise in single quotes, with each `'` written as `'\''`. The
 * empty string becomes `''`.
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
 * assert.equal(shellQuoteWord("socket,id=charnet0"), "socket,id=charnet0");
 * assert.equal(shellQuoteWord("it's here"), "'it'\\''s here'");
 * assert.equal(shellQuoteWord(""), "''");
 * ```
 */
export function shellQuoteWord(word: string): string {
  if (isSafe(word)) return word;
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
