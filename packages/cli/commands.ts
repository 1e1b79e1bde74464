/**
 * The list of `passtkit` commands. Each is loaded only when it runs, so that
 * `passtkit validate` does not pay for loading the supervisor.
 *
 * @module
 */

import type { Command } from "./_command.ts";

/** A command's name, its one-line summary, and how to load it. */
export interface CommandEntry {
  /** The command word. */
  readonly name: string;
  /** One line for `passtkit --help`. */
  readonly summary: string;
  /** Loads the command module. */
  readonly load: () => Promise<Command>;
}

/** Every command, in the order `passtkit --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "validate",
    summary: "check XML files against libvirt's and passt's rules",
    load: async () => (await import("./commands/validate.ts")).command,
  },
  {
    name: "format",
    summary: "rewrite interfaces in libvirt's canonical form",
    load: async () => (await import("./commands/format.ts")).command,
  },
  {
    name: "explain",
    summary: "say in plain English what each interface does",
    load: async () => (await import("./commands/explain.ts")).command,
  },
  {
    name: "ports",
    summary: "show the exact host-to-guest port map and its problems",
    load: async () => (await import("./commands/ports.ts")).command,
  },
  {
    name: "args",
    summary: "print the passt command line libvirt would run, and QEMU's",
    load: async () => (await import("./commands/args.ts")).command,
  },
  {
    name: "import",
    summary: "turn a passt command line into interface XML",
    load: async () => (await import("./commands/import.ts")).command,
  },
  {
    name: "run",
    summary: "start and supervise passt for every interface of a file",
    load: async () => (await import("./commands/run.ts")).command,
  },
  {
    name: "stop",
    summary: "stop a passt started elsewhere, from its pidfile",
    load: async () => (await import("./commands/stop.ts")).command,
  },
];
