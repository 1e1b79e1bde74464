/**
 * Splitting a command's arguments into option values and positionals with
 * `node:util` `parseArgs`, loaded only when there is an option to parse.
 *
 * @module
 */

import type { ParseArgsConfig } from "node:util";

/** The option table `parseArgs` takes. */
export type ParseArgsOptions = NonNullable<ParseArgsConfig["options"]>;

/** One option word as `parseArgs` reports it in its tokens. */
export interface OptionToken {
  /** Long option name, without dashes. */
  readonly name: string;
  /** The option as written, e.g. `-q` or `--json`. */
  readonly rawName: string;
  /** The value, inline (`--dir=x`) or the next word; `undefined` if none. */
  readonly value: string | undefined;
  /** Whether the value was written inline with `=`. */
  readonly inlineValue: boolean | undefined;
}

/** What {@linkcode splitArgs} returns. */
export interface SplitArgs {
  /** Option values keyed by long name (absent when not given). */
  readonly values: Record<
    string,
    string | boolean | (string | boolean)[] | undefined
  >;
  /** Positional arguments, in order (everything after `--` included). */
  readonly positionals: string[];
  /** The option words, for the caller's own checks. */
  readonly options: OptionToken[];
}

/**
 * Whether a word is read as an option or the `--` terminator: it starts with
 * `-` and is not `-` alone (standard input).
 */
function optionLike(arg: string): boolean {
  return arg.length > 1 && arg.startsWith("-");
}

/**
 * Splits arguments as `parseArgs` does with `allowPositionals` and not
 * strict. Deno loads its Node layer on the first `node:` import, which costs
 * more than the rest of a short command (about 10 ms here), so a list without
 * any option-like word, which `parseArgs` would return unchanged as
 * positionals, is returned directly.
 *
 * @param args The words after the command name.
 * @param options The command's option table.
 * @returns Values, positionals and option tokens.
 * @example
 * ```ts ignore
 * const { values, positionals } = await splitArgs(["--json", "vm.xml"], {
 *   json: { type: "boolean" },
 * });
 * // values.json === true, positionals = ["vm.xml"]
 * ```
 */
export async function splitArgs(
  args: readonly string[],
  options: ParseArgsOptions,
): Promise<SplitArgs> {
  if (!args.some(optionLike)) {
    // As parseArgs returns them: no prototype, and every default applied.
    const values: SplitArgs["values"] = Object.create(null);
    for (const [name, option] of Object.entries(options)) {
      if (option.default !== undefined) values[name] = option.default;
    }
    return { values, positionals: [...args], options: [] };
  }
  const { parseArgs } = await import("node:util");
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    options,
    allowPositionals: true,
    // Not strict: callers give messages in passtkit's own words.
    strict: false,
    tokens: true,
  });
  const found: OptionToken[] = [];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    found.push({
      name: token.name,
      rawName: token.rawName,
      value: token.value,
      inlineValue: token.inlineValue,
    });
  }
  return { values, positionals, options: found };
}
