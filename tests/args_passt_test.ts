/**
 * The argv `@passtkit/args` builds, run by the real passt: every valid
 * example starts (PID file written, socket listening) and is then stopped
 * and cleaned up; and the shell-quoted command `passtkit args` prints, pasted
 * into bash, starts passt too.
 *
 * The argv are made safe and runnable on this machine first, by
 * {@linkcode runnableHere}; each rewrite is documented there.
 */

import assert from "node:assert/strict";
import { parse, type XmlDocument } from "@passtkit/xml";
import { formatSpec, parseSpec, type PortForward } from "@passtkit/ports";
import { buildDomainCommands, type PasstCommand } from "@passtkit/args";
import ipaddr from "ipaddr.js";
import { command as argsCommand } from "../packages/cli/commands/args.ts";
import { assertPasst, needsPasst } from "./_passt.ts";
import { freeSeedOffset, usedPorts } from "./_ports.ts";
import { processGone } from "./supervisor_helpers.ts";
import { loopbackSeed } from "./_seed.ts";

// Disjoint from e2e_guest_test.ts's offsets and cli_run_test.ts's ports.
const ARGS_SEED_OFFSETS = [13000, 13200, 13400];
// Where runnableHere moves the host ports of every example.
const RUNNABLE_FIRST = 24000;
const RUNNABLE_LAST = 32767;

const ROOT = new URL("../", import.meta.url);
const START_TIMEOUT_MS = 5000;

/** What this machine's passt accepts, from its `--help` (stderr and exit 1 in 2023). */
interface PasstFeatures {
  readonly vhostUser: boolean;
  readonly hostname: boolean;
  readonly fqdn: boolean;
}

async function passtFeatures(passt: string): Promise<PasstFeatures> {
  const output = await new Deno.Command(passt, {
    args: ["--help"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const help = new TextDecoder().decode(output.stdout) +
    new TextDecoder().decode(output.stderr);
  return {
    vhostUser: help.includes("--vhost-user"),
    hostname: help.includes("--hostname"),
    fqdn: help.includes("--fqdn"),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function ipv6Loopback(): boolean {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}

/** Host ports a forward listens on (its ranges less its exclusions). */
function hostPorts(forward: PortForward): number[] {
  const excluded = new Set<number>();
  const ports: number[] = [];
  for (const r of forward.ranges) {
    if (r.start === undefined) continue;
    for (let p = r.start; p <= (r.end ?? r.start); p++) {
      if (r.exclude) excluded.add(p);
      else ports.push(p);
    }
  }
  return ports.filter((p) => !excluded.has(p));
}

interface Runnable {
  readonly argv: string[];
  /** What was changed, for messages. */
  readonly notes: string[];
}

/**
 * Makes a built argv safe and runnable here:
 *
 * - every forward listens on loopback only: an IPv4 or missing address
 *   becomes 127.0.0.1, an IPv6 one ::1 (127.0.0.1 when this machine has no
 *   ::1), so nothing is reachable from outside;
 * - `%dev` becomes `%lo` (with the loopback address; Debian's 2023 passt
 *   refuses `%dev` without an address);
 * - host ports move by one offset per command into 24000-32767 (this file's
 *   range, see `_ports.ts`), keeping ranges, exclusions and guest ports as
 *   they are; an offset whose ports are not all free here is skipped;
 * - forwards of every port (`all`, or only exclusions) are dropped: they
 *   need about 49 000 sockets, and the 2023 passt refuses `ADDR/all`; so are
 *   all forwards of a command that spans more ports than that range has or
 *   forwards more than 2000;
 * - `--interface` is dropped when that host interface does not exist here;
 * - `--vhost-user`, `--hostname` and `--fqdn` are dropped when this passt's
 *   `--help` does not list them (Debian's 2023 passt has none of them);
 * - `--log-file` goes to the temporary directory;
 * - `--address` values passt refuses (loopback, multicast, broadcast,
 *   unspecified, IPv4-mapped) are dropped with their `--netmask`;
 * - `-f` (foreground) is added, so the test owns the process.
 */
function runnableHere(
  argv: readonly string[],
  dir: string,
  features: PasstFeatures,
  hasIpv6: boolean,
): Runnable {
  const notes: string[] = [];
  const out: string[] = [argv[0] as string];
  const forwards: { proto: "tcp" | "udp"; forward: PortForward }[] = [];
  for (let i = 1; i < argv.length; i++) {
    const option = argv[i] as string;
    const value = argv[i + 1];
    switch (option) {
      case "--vhost-user":
        if (features.vhostUser) out.push(option);
        else notes.push("dropped --vhost-user");
        continue;
      case "--one-off":
        out.push(option);
        continue;
      case "--interface":
        i++;
        if (Deno.statSync("/sys/class/net").isDirectory) {
          try {
            Deno.statSync(`/sys/class/net/${value}`);
            out.push(option, value as string);
            continue;
          } catch {
            // no such interface here
          }
        }
        notes.push(`dropped --interface ${value}`);
        continue;
      case "--log-file":
        i++;
        out.push(option, `${dir}/passt.log`);
        continue;
      case "--hostname":
      case "--fqdn":
        i++;
        if (features[option === "--fqdn" ? "fqdn" : "hostname"]) {
          out.push(option, value as string);
        } else notes.push(`dropped ${option}`);
        continue;
      case "--address": {
        i++;
        const address = ipaddr.parse(value as string);
        const range = address.range();
        const refused = [
          "loopback",
          "multicast",
          "broadcast",
          "unspecified",
          "ipv4Mapped",
        ].includes(range);
        if (refused) {
          notes.push(`dropped --address ${value}`);
          if (argv[i + 1] === "--netmask") i += 2;
        } else out.push(option, value as string);
        continue;
      }
      case "--tcp-ports":
      case "--udp-ports": {
        i++;
        const proto = option === "--tcp-ports" ? "tcp" : "udp";
        const parsed = parseSpec(value as string, { proto, target: "2026" });
        const forward = parsed.forward;
        if (
          parsed.mode !== "ports" ||
          forward.ranges.every((r) => r.exclude === true)
        ) {
          notes.push(`dropped ${option} ${value} (every port)`);
          continue;
        }
        forwards.push({ proto, forward });
        continue;
      }
      default:
        // --socket, --pid, --mtu, --netmask, --gateway: as built.
        if (value !== undefined && !value.startsWith("--")) {
          out.push(option, value);
          i++;
        } else out.push(option);
    }
  }

  const loopback = (address: string | undefined) =>
    address !== undefined && address.includes(":") && hasIpv6
      ? "::1"
      : "127.0.0.1";
  const all = forwards.flatMap(({ proto, forward }) =>
    hostPorts(forward).map((port) => ({ proto, port }))
  );
  if (all.length > 0) {
    const min = Math.min(...all.map((p) => p.port));
    const max = Math.max(...all.map((p) => p.port));
    let offset: number | undefined;
    if (max - min <= RUNNABLE_LAST - RUNNABLE_FIRST && all.length <= 2000) {
      for (
        let base = RUNNABLE_FIRST;
        base + (max - min) <= RUNNABLE_LAST;
        base += 97
      ) {
        const candidate = base - min;
        const used = { tcp: usedPorts("tcp"), udp: usedPorts("udp") };
        if (all.every((p) => !used[p.proto].has(p.port + candidate))) {
          offset = candidate;
          break;
        }
      }
    }
    if (offset === undefined) {
      notes.push("dropped every port forward (too many ports, or none free)");
    } else {
      for (const { proto, forward } of forwards) {
        const ranges = forward.ranges.map((r) => ({
          ...r,
          start: (r.start as number) + offset,
          ...(r.end !== undefined ? { end: r.end + offset } : {}),
        }));
        out.push(
          proto === "tcp" ? "--tcp-ports" : "--udp-ports",
          formatSpec(ranges, { address: loopback(forward.address), dev: "lo" }),
        );
      }
    }
  }
  out.push("-f");
  return { argv: out, notes };
}

/** Whether `/proc/<pid>/net/unix` shows a listening socket at `path`. */
async function listening(pid: number, path: string): Promise<boolean> {
  const table = await Deno.readTextFile(`/proc/${pid}/net/unix`);
  return table.split("\n").some((line) => {
    const fields = line.trim().split(/\s+/);
    // Num RefCount Protocol Flags Type St Inode Path; 00010000 = __SO_ACCEPTCON.
    return fields[3] === "00010000" && fields.slice(7).join(" ") === path;
  });
}

async function waitForPidfile(
  pidfile: string,
  done: () => boolean,
): Promise<number | undefined> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && !done()) {
    try {
      const text = await Deno.readTextFile(pidfile);
      if (/^[0-9]+\n?$/.test(text)) return Number(text.trim());
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

/** A temporary directory that `nobody` can write (the 2023 passt started as root creates its files as nobody). */
async function stateDirectory(prefix: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  await Deno.chmod(dir, 0o777);
  return dir;
}

/** Starts one command in the foreground, checks it is ready, stops it and cleans up. */
async function runOnce(
  label: string,
  command: PasstCommand,
  dir: string,
  features: PasstFeatures,
  hasIpv6: boolean,
): Promise<readonly string[]> {
  const { argv, notes } = runnableHere(command.argv, dir, features, hasIpv6);
  const describe = () =>
    `${label}: ${argv.join(" ")}${
      notes.length ? ` (${notes.join("; ")})` : ""
    }`;
  const child = new Deno.Command(argv[0] as string, {
    args: argv.slice(1),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Drain both streams, or passt may block on a full pipe.
  const stdout = new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  let status: Deno.CommandStatus | undefined;
  const exited = child.status.then((s) => (status = s));
  try {
    const pid = await waitForPidfile(
      command.pidfile,
      () => status !== undefined,
    );
    assert.ok(
      pid !== undefined,
      `${describe()}: no PID in ${command.pidfile} within ${START_TIMEOUT_MS} ms` +
        (status ? `; passt exited ${status.code}: ${await stderr}` : ""),
    );
    assert.equal(pid, child.pid, describe());
    assert.equal(
      status,
      undefined,
      `${describe()}: passt exited after start-up`,
    );
    assert.ok(
      await listening(child.pid, command.socket),
      `${describe()}: nothing listens on ${command.socket}`,
    );
    child.kill("SIGTERM");
    const final = await exited;
    assert.equal(final.code, 0, `${describe()}: exit ${final.code}`);
  } finally {
    if (status === undefined) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await exited;
    }
    await stdout;
    await stderr;
    // passt never removes its socket or PID file.
    await Deno.remove(command.socket).catch(() => {});
    await Deno.remove(command.pidfile).catch(() => {});
    await Deno.remove(`${dir}/passt.log`).catch(() => {});
  }
  assert.equal(await exists(`/proc/${child.pid}`), false, describe());
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((e) => e.name),
    [],
    `${describe()}: files left behind`,
  );
  return argv;
}

async function xmlFiles(dir: URL): Promise<URL[]> {
  const found: URL[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) found.push(...await xmlFiles(url));
      else if (entry.isFile && entry.name.endsWith(".xml")) found.push(url);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort((a, b) => a.href.localeCompare(b.href));
}

/** Every example and test file that validates with no error and has passt interfaces. */
async function validExamples(): Promise<{ name: string; doc: XmlDocument }[]> {
  const files = await xmlFiles(new URL("examples/", ROOT));
  for await (const entry of Deno.readDir(new URL("packages/", ROOT))) {
    if (!entry.isDirectory) continue;
    files.push(
      ...await xmlFiles(new URL(`packages/${entry.name}/testdata/`, ROOT)),
    );
  }
  const valid: { name: string; doc: XmlDocument }[] = [];
  for (const url of files) {
    const name = url.pathname.slice(ROOT.pathname.length);
    let doc: XmlDocument;
    try {
      doc = parse(await Deno.readTextFile(url), { file: name });
    } catch {
      continue; // malformed on purpose
    }
    const result = buildDomainCommands(doc, { stateDir: "/run/passtkit" });
    if (result.ok && result.commands.length > 0) valid.push({ name, doc });
  }
  return valid;
}

Deno.test({
  name:
    "passt starts with the argv built for every valid example, and is stopped and cleaned up",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    const features = await passtFeatures(passt);
    const hasIpv6 = ipv6Loopback();
    const examples = await validExamples();
    assert.ok(
      examples.some((e) => e.name === "examples/seed.xml"),
      "examples/seed.xml is valid",
    );
    let started = 0;
    let forwarded = 0;
    for (const { name, doc } of examples) {
      const dir = await stateDirectory("pk");
      try {
        const result = buildDomainCommands(doc, { stateDir: dir, passt });
        assert.ok(result.ok, name);
        for (const command of result.commands) {
          const argv = await runOnce(
            `${name} ${command.alias}`,
            command,
            dir,
            features,
            hasIpv6,
          );
          started++;
          if (argv.includes("--tcp-ports") || argv.includes("--udp-ports")) {
            forwarded++;
          }
        }
      } finally {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
      assert.equal(await exists(dir), false);
    }
    // The libvirt vectors alone have 1 + 1 + 1 + 3 + 3 + 1 passt interfaces.
    assert.ok(started >= 8, `only ${started} passt commands ran`);
    // The rewrites keep the forwards: the libvirt vectors and the seed have them.
    assert.ok(forwarded >= 5, `only ${forwarded} commands kept port forwards`);
  },
});

Deno.test({
  name: "the command 'passtkit args' prints, pasted into bash, starts passt",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    // A state directory with a space and a quote, so that quoting matters.
    const root = await stateDirectory("pk");
    const dir = `${root}/it's here`;
    await Deno.mkdir(dir);
    await Deno.chmod(dir, 0o777);
    let pid: number | undefined;
    try {
      const upstream = (await exists("/sys/class/net/eth0")) ? "eth0" : "lo";
      const file = `${root}/vm.xml`;
      await Deno.writeTextFile(
        file,
        loopbackSeed(dir, freeSeedOffset(ARGS_SEED_OFFSETS), upstream),
      );
      let out = "";
      let err = "";
      const code = await argsCommand.run({
        values: { "state-dir": dir, "domain-name": "vm", passt },
        positionals: [file],
        io: {
          out: (text) => void (out += text),
          err: (text) => void (err += text),
          readStdin: () => Promise.resolve(""),
          color: false,
        },
      });
      assert.equal(code, 0, err);
      const [comment, line] = out.split("\n");
      assert.equal(comment, `# ${file} net0`);
      assert.ok(
        line?.includes(`'${dir.replace("'", "'\\''")}/1-vm-net0.socket'`),
        line,
      );
      // As a person would: paste the line into a shell. passt daemonizes; the
      // launcher exits 0 once the PID file is written.
      const shell = await new Deno.Command("bash", {
        args: ["-c", line as string],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const pidfile = `${dir}/1-vm-net0-passt.pid`;
      if (await exists(pidfile)) {
        const text = await Deno.readTextFile(pidfile);
        if (/^[0-9]+\n?$/.test(text)) pid = Number(text.trim());
      }
      assert.equal(
        shell.code,
        0,
        `bash -c ${line}: ${new TextDecoder().decode(shell.stderr)}`,
      );
      assert.ok(pid !== undefined, `no PID in ${pidfile}`);
      assert.ok(
        await listening(pid, `${dir}/1-vm-net0.socket`),
        "nothing listens on the socket",
      );
      Deno.kill(pid, "SIGTERM");
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!(await processGone(pid)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(await processGone(pid), `passt ${pid} did not stop`);
      pid = undefined;
    } finally {
      if (pid !== undefined && !(await processGone(pid))) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await Deno.remove(root, { recursive: true });
    }
    assert.equal(await exists(root), false);
  },
});
