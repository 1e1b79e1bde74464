/**
 * Test helpers for supervisor tests that run the real passt: temporary state
 * roots passt's user can reach, and leak checks (child processes, open file
 * descriptors), and a passt started the way libvirt starts it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { passtUser, prepareStateDir, readPidFile } from "@passtkit/supervisor";

/** A temporary directory removed (with everything in it) on dispose. */
export interface TempRoot extends AsyncDisposable {
  /** The directory's path. */
  readonly path: string;
}

/**
 * Makes a temporary directory with mode 0755, so that passt running as
 * `nobody` can reach a state directory the supervisor creates inside it.
 *
 * @example
 * ```ts ignore
 * await using root = await tempRoot();
 * const stateDir = `${root.path}/state`;
 * ```
 */
export async function tempRoot(): Promise<TempRoot> {
  const path = await Deno.makeTempDir({ prefix: "passtkit-" });
  await Deno.chmod(path, 0o755);
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}

function parentOf(pid: string): number | undefined {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    if (rest[0] === "Z") return undefined;
    return Number(rest[1]);
  } catch {
    return undefined;
  }
}

/**
 * PIDs of our live passt children whose command line mentions `dir` (test
 * files may run in parallel inside one process, so the parent alone does not
 * tell which test started a passt).
 */
export function passtChildren(dir: string): number[] {
  return passtsMentioning(dir).filter((pid) =>
    parentOf(String(pid)) === Deno.pid
  );
}

/** PIDs of every live passt on the machine whose command line mentions `text`. */
export function passtsMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`);
      const exe = Deno.readLinkSync(`/proc/${entry.name}/exe`);
      if (/\/passt(\.avx2)?$/.test(exe) && cmdline.includes(text)) {
        pids.push(Number(entry.name));
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** The number of open file descriptors of this process. */
export function openFds(): number {
  return [...Deno.readDirSync("/proc/self/fd")].length;
}

/** The names in a directory, sorted; `[]` when it does not exist. */
export function listDir(path: string): string[] {
  try {
    return [...Deno.readDirSync(path)].map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `check()` is true, checking every 10 ms; throws after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Where {@linkcode startDaemon} puts passt's files, if not `DIR/NAME.*`. */
export interface DaemonFiles {
  /** The `-s` value (relative ones are taken from `cwd`). */
  readonly socket?: string;
  /** The `-P` value (relative ones are taken from `cwd`). */
  readonly pid?: string;
  /** The directory passt is started in (made when missing). */
  readonly cwd?: string;
}

/**
 * Starts passt the libvirt way: daemonized, known only by its PID file
 * `DIR/NAME.pid`, with its socket at `DIR/NAME.socket` (or where `files`
 * says). Returns its PID.
 *
 * @example
 * ```ts ignore
 * const pid = await startDaemon(assertPasst(), dir, "net0");
 * ```
 */
export async function startDaemon(
  passt: string,
  dir: string,
  name: string,
  files: DaemonFiles = {},
): Promise<number> {
  await prepareStateDir(dir, passtUser(undefined));
  if (files.cwd) await Deno.mkdir(files.cwd, { recursive: true });
  const socket = files.socket ?? `${dir}/${name}.socket`;
  const pidFile = files.pid ?? `${dir}/${name}.pid`;
  const { code, stderr } = await new Deno.Command(passt, {
    args: ["-s", socket, "-P", pidFile],
    ...(files.cwd ? { cwd: files.cwd } : {}),
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const pid = await readPidFile(
    pidFile.startsWith("/") ? pidFile : `${files.cwd ?? "."}/${pidFile}`,
  );
  assert.ok(pid !== undefined);
  return pid;
}

/** Kills whatever passt a failed test left behind in `dir`. */
export function killLeftovers(dir: string): void {
  for (const pid of passtsMentioning(dir)) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}

/** A temporary root for passts started by {@linkcode startDaemon}. */
export interface DaemonRoot extends AsyncDisposable {
  /** The temporary root's path. */
  readonly path: string;
  /** The state directory inside it, `PATH/NAME`, made by `startDaemon`. */
  readonly dir: string;
}

/**
 * Makes a {@linkcode tempRoot} whose disposal first kills any passt a failed
 * test left behind in its state directory.
 *
 * @example
 * ```ts ignore
 * await using root = await daemonRoot("vm");
 * const pid = await startDaemon(assertPasst(), root.dir, "net0");
 * ```
 */
export async function daemonRoot(name: string): Promise<DaemonRoot> {
  const root = await tempRoot();
  const dir = `${root.path}/${name}`;
  return {
    path: root.path,
    dir,
    async [Symbol.asyncDispose]() {
      killLeftovers(dir);
      await root[Symbol.asyncDispose]();
    },
  };
}

/** Whether a process has exited: gone, or a zombie waiting for its parent. */
export async function processGone(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return / Z /.test(stat.slice(stat.lastIndexOf(")")));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw error;
  }
}
