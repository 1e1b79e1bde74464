/**
 * Dispatches `passtkit` arguments to a command: help, version, usage errors
 * with suggestions, and the exit-code contract (0 ok, 1 invalid or failed,
 * 2 usage or I/O error).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  type Command,
  type CommandIo,
  InputOutputError,
  UsageError,
} from "./_command.ts";
import { COMMANDS } from "./commands.ts";
import cliConfig from "./deno.json" with { type: "json" };

/** The version printed by `passtkit --version`. */
export const VERSION: string = cliConfig.version;

/** Standard streams of the running process. */
export function processIo(): CommandIo {
  const encoder = new TextEncoder();
  const noColor = (Deno.env.get("NO_COLOR") ?? "") !== "";
  return {
    out: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
    err: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
    readStdin: () => new Response(Deno.stdin.readable).text(),
    color: !noColor && Deno.stdout.isTerminal(),
  };
}

// Loaded only when a mistake needs a suggestion, to keep start-up fast.
async function suggestion(
  word: string,
  candidates: readonly string[],
): Promise<string> {
  if (candidates.length === 0) return "";
  const { closest, distance } = await import("fastest-levenshtein");
  const best = closest(word, candidates as string[]);
  return distance(word, best) <= Math.max(2, Math.floor(best.length / 3))
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
    "FILE may be '-' to read standard input.",
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

async function parseCommandArgs(command: Command, args: string[]) {
  const options: Record<
    string,
    { type: "boolean" | "string"; short?: string; multiple?: boolean }
  > = { help: { type: "boolean", short: "h" } };
  for (const [name, option] of Object.entries(command.options)) {
    options[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  try {
    return parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(message);
    if (unknown) {
      const names = Object.keys(options);
      const hint = await suggestion(unknown[2] ?? "", names);
      throw new UsageError(
        `${command.name}: unknown option '${unknown[1]}${unknown[2]}'${
          hint.replace("'", "'--")
        }; see 'passtkit ${command.name} --help'`,
      );
    }
    const firstLine = message.split("\n")[0] ?? message;
    throw new UsageError(`${command.name}: ${firstLine}`);
  }
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
  const [first, ...rest] = args;
  try {
    if (first === undefined || first === "-h" || first === "--help") {
      io.out(mainHelp());
      return first === undefined ? 2 : 0;
    }
    if (first === "-V" || first === "--version") {
      io.out(`passtkit ${VERSION}\n`);
      return 0;
    }
    if (first === "help") {
      if (rest[0] === undefined) {
        io.out(mainHelp());
        return 0;
      }
      io.out(commandHelp(await loadCommand(rest[0])));
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
