/**
 * Dispatches `passtkit` arguments to a command: help, version, usage errors
 * with suggestions, and the exit-code contract (0 ok, 1 invalid or failed,
 * 2 usage or I/O error).
 *
 * @module
 */

import {
  type Command,
  type CommandIo,
  describeError,
  InputOutputError,
  UsageError,
} from "./_command.ts";
import { COMMANDS } from "./commands.ts";
import { type ParseArgsOptions, splitArgs } from "./_parse_args.ts";
import cliConfig from "./deno.json" with { type: "json" };

/** The version printed by `passtkit --version`. */
export const VERSION: string = cliConfig.version;

/**
 * A writer for standard output or error that ends quietly when the reader
 * has gone (`passtkit explain vm.xml | head -1`): it stops writing and the
 * command finishes, so the exit status is still the command's own (whether
 * the files were valid). git and ls are killed by SIGPIPE there instead,
 * which shells report only with `set -o pipefail`, as status 141; a user of
 * either expects no message, and a script checking the status gets the
 * answer it asked for rather than the signal.
 */
function streamWriter(
  stream: typeof Deno.stdout | typeof Deno.stderr,
): { write: (text: string) => void; failed: () => string | undefined } {
  const encoder = new TextEncoder();
  let closed = false;
  let failure: string | undefined;
  const write = (text: string) => {
    if (closed) return;
    let bytes = encoder.encode(text);
    try {
      // A pipe may take part of a large write.
      while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
    } catch (error) {
      closed = true;
      // Any other failure (a full disk) ends the command with status 2.
      if (!(error instanceof Deno.errors.BrokenPipe)) {
        failure = describeError(error);
      }
    }
  };
  return { write, failed: () => failure };
}

/**
 * Standard streams of the running process, as {@linkcode runCli} takes them.
 *
 * @returns Writers for standard output and error, a one-time read of
 * standard input, and whether each output stream may be coloured.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { processIo } from "@passtkit/cli";
 *
 * // What `runCli(args)` uses when given no streams.
 * const io = processIo();
 * assert.equal(typeof io.out, "function");
 * assert.equal(typeof io.errColor, "boolean");
 * // NO_COLOR (https://no-color.org) turns colour off on both streams.
 * if (Deno.env.get("NO_COLOR")) assert.equal(io.color || io.errColor, false);
 * ```
 */
export function processIo(): CommandIo {
  const noColor = (Deno.env.get("NO_COLOR") ?? "") !== "";
  let stdin: Promise<string> | undefined;
  const out = streamWriter(Deno.stdout);
  return {
    out: out.write,
    err: streamWriter(Deno.stderr).write,
    outError: out.failed,
    // Standard input can be read only once; a second read gets the same text.
    readStdin: () => stdin ??= new Response(Deno.stdin.readable).text(),
    // Decided per stream: `passtkit validate vm.xml 2>log` still colours a
    // terminal's standard output, and `passtkit args vm.xml > cmd.sh` its
    // standard error.
    color: !noColor && Deno.stdout.isTerminal(),
    errColor: !noColor && Deno.stderr.isTerminal(),
  };
}

// Loaded only when a mistake needs a suggestion, to keep start-up fast.
async function suggestion(
  word: string,
  candidates: readonly string[],
): Promise<string> {
  if (candidates.length === 0) return "";
  const { default: leven, closestMatch } = await import("leven");
  const best = closestMatch(word, candidates);
  if (best === undefined) return "";
  return leven(word, best) <= Math.max(2, Math.floor(best.length / 3))
    ? ` (did you mean '${best}'?)`
    : "";
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `passtkit ${VERSION}: run VMs on passt networking from libvirt-style XML`,
    "",
    "Usage: passtkit COMMAND [OPTIONS] [FILE...]",
    "       passtkit help COMMAND",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help     show this help",
    "  -V, --version  show the version",
    "",
    "Example:",
    "  passtkit validate examples/seed.xml",
    "",
    "FILE may be '-' to read standard input. Problems are printed as",
    "FILE:LINE:COLUMN: error|warning: MESSAGE, on standard output when they are",
    "the command's output (validate, ports) and on standard error when they",
    "accompany other output (format, explain, args, run).",
    "",
  ].join("\n");
}

/**
 * Renders a command's `--help` text: usage line, every option, one example.
 *
 * @example
 * ```ts ignore
 * console.log(commandHelp(command));
 * ```
 */
export function commandHelp(command: Command): string {
  const rows: [string, string][] = Object.entries(command.options).map((
    [name, option],
  ) => {
    const short = option.short ? `-${option.short}, ` : "    ";
    const value = option.type === "string" ? ` ${option.value ?? "VALUE"}` : "";
    return [`${short}--${name}${value}`, option.help];
  });
  rows.push(["-h, --help", "show this help"]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `Usage: passtkit ${command.usage}`,
    "",
    command.summary.charAt(0).toUpperCase() + command.summary.slice(1) + ".",
    ...(command.description ? ["", command.description] : []),
    "",
    "Options:",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    "",
    "Example:",
    ...command.examples.map((example) => `  passtkit ${example}`),
    "",
  ].join("\n");
}

async function loadCommand(name: string): Promise<Command> {
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    throw new UsageError(
      `unknown command '${name}'${await suggestion(
        name,
        COMMANDS.map((c) => c.name),
      )}; see 'passtkit --help'`,
    );
  }
  return await entry.load();
}

// A negative number is an option's value (`--domain-id -1`, as in
// libvirt's own tests), not an option.
const NEGATIVE_NUMBER = /^-[0-9]+(\.[0-9]+)?$/;

async function parseCommandArgs(command: Command, args: string[]) {
  const options: ParseArgsOptions = { help: { type: "boolean", short: "h" } };
  for (const [name, option] of Object.entries(command.options)) {
    options[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  // Not strict: the checks below give messages in passtkit's own words.
  const { values, positionals, options: tokens } = await splitArgs(
    args,
    options,
  );
  const seeHelp = `see 'passtkit ${command.name} --help'`;
  for (const token of tokens) {
    // Own properties only: `--constructor` is an unknown option.
    const option = Object.hasOwn(options, token.name)
      ? options[token.name]
      : undefined;
    if (option === undefined) {
      const hint = await suggestion(
        token.rawName.replace(/^-+/, ""),
        Object.keys(options),
      );
      const extra = command.unknownOptionHint
        ? `; ${command.unknownOptionHint}`
        : "";
      throw new UsageError(
        `${command.name}: unknown option '${token.rawName}'${
          hint.replace("'", "'--")
        }${extra}; ${seeHelp}`,
      );
    }
    const long = `--${token.name}`;
    if (option.type === "boolean") {
      if (token.value !== undefined) {
        throw new UsageError(
          `${command.name}: option '${long}' takes no value; ${seeHelp}`,
        );
      }
      continue;
    }
    const placeholder = command.options[token.name]?.value ?? "VALUE";
    const needs =
      `${command.name}: option '${long}' needs a value (${long} ${placeholder})`;
    if (token.value === undefined) throw new UsageError(`${needs}; ${seeHelp}`);
    if (
      !token.inlineValue && token.value.length > 1 &&
      token.value.startsWith("-") && !NEGATIVE_NUMBER.test(token.value)
    ) {
      // `--pidfile --json`: the next word looks like an option, not a value.
      throw new UsageError(
        `${needs}, not '${token.value}' (write ${long}=${token.value} if that is the value); ${seeHelp}`,
      );
    }
  }
  return { values, positionals };
}

/**
 * Runs `passtkit` with the given arguments and returns the exit code.
 *
 * @param args The arguments after `passtkit`.
 * @param io Streams to use; the process's own by default.
 * @returns 0 on success, 1 for an invalid configuration or failed run, 2 for usage or I/O errors.
 * @example
 * ```ts ignore
 * const code = await runCli(["validate", "examples/seed.xml"]);
 * ```
 */
export async function runCli(
  args: readonly string[],
  io: CommandIo = processIo(),
): Promise<number> {
  const code = await dispatch(args, io);
  const failed = io.outError?.();
  if (failed !== undefined) {
    io.err(`passtkit: cannot write to standard output: ${failed}\n`);
    return 2;
  }
  return code;
}

async function dispatch(
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  const [first, ...rest] = args;
  try {
    if (first === undefined) {
      // A usage error: the help goes where errors go.
      io.err(mainHelp());
      return 2;
    }
    if (first === "-h" || first === "--help") {
      io.out(mainHelp());
      return 0;
    }
    if (first === "-V" || first === "--version") {
      io.out(`passtkit ${VERSION}\n`);
      return 0;
    }
    if (first === "help") {
      const topic = rest[0];
      if (
        topic === undefined || topic === "-h" || topic === "--help" ||
        topic === "help"
      ) {
        io.out(mainHelp());
        return 0;
      }
      if (rest.length > 1) {
        throw new UsageError(
          `help: takes one COMMAND, not '${
            rest.join(" ")
          }'; see 'passtkit --help'`,
        );
      }
      io.out(commandHelp(await loadCommand(topic)));
      return 0;
    }
    if (first.startsWith("-")) {
      throw new UsageError(
        `unknown option '${first}'${await suggestion(first, [
          "--help",
          "--version",
        ])}; see 'passtkit --help'`,
      );
    }
    const command = await loadCommand(first);
    const { values, positionals } = await parseCommandArgs(command, rest);
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run({ values, positionals, io });
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputOutputError) {
      io.err(`passtkit: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
