/**
 * Options shared by the commands that build passt command lines.
 *
 * @module
 */

import { resolve } from "node:path";
import {
  type BuildOptions,
  defaultStateDir,
  type QemuReconnect,
} from "@passtkit/args";
import { type CommandContext, UsageError } from "./_command.ts";

const RECONNECT: readonly QemuReconnect[] = [
  "reconnect-ms",
  "reconnect",
  "none",
];

export function stringOption(
  values: CommandContext["values"],
  name: string,
): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * Reads the options `args` and `run` share (`--state-dir`, `--domain-id`,
 * `--domain-name`, `--passt`, `--qemu-reconnect`) into build options.
 *
 * @throws {UsageError} For a malformed value, naming the command.
 */
export function buildOptions(
  values: CommandContext["values"],
  commandName: string,
): BuildOptions {
  const stateDir = stringOption(values, "state-dir");
  const domainId = stringOption(values, "domain-id");
  const domainName = stringOption(values, "domain-name");
  const passt = stringOption(values, "passt");
  const reconnect = stringOption(values, "qemu-reconnect");
  if (domainId !== undefined && !/^-?[0-9]{1,9}$/.test(domainId)) {
    throw new UsageError(
      `${commandName}: --domain-id takes an integer, got '${domainId}'`,
    );
  }
  if (domainName === "") {
    throw new UsageError(`${commandName}: --domain-name cannot be empty`);
  }
  if (passt === "") {
    throw new UsageError(`${commandName}: --passt cannot be empty`);
  }
  if (
    reconnect !== undefined &&
    !RECONNECT.includes(reconnect as QemuReconnect)
  ) {
    throw new UsageError(
      `${commandName}: --qemu-reconnect takes ${
        RECONNECT.map((r) => `'${r}'`).join(", ")
      }, got '${reconnect}'`,
    );
  }
  return {
    // A relative directory is taken from the current one, as a shell user expects.
    stateDir: stateDir === undefined ? defaultStateDir() : resolve(stateDir),
    ...(domainId !== undefined ? { domainId: Number(domainId) } : {}),
    ...(domainName !== undefined ? { domainName } : {}),
    ...(passt !== undefined ? { passt } : {}),
    ...(reconnect !== undefined
      ? { qemuReconnect: reconnect as QemuReconnect }
      : {}),
  };
}
