/**
 * Reading `/proc`: UNIX sockets in LISTEN state, a process's program,
 * command line and state. Linux only. Private to the package.
 *
 * @module
 */

import { basename } from "node:path";

/** `__SO_ACCEPTCON`: the socket is listening. */
const SO_ACCEPTCON = 0x10000;
/** `SOCK_STREAM` in the `Type` column. */
const SOCK_STREAM = 1;

/** One line of `/proc/net/unix`. */
export interface UnixSocketEntry {
  /** The `Flags` column. */
  readonly flags: number;
  /** The `Type` column (1 = stream). */
  readonly type: number;
  /** The `Inode` column. */
  readonly inode: number;
  /** The bound path, `@name` for abstract sockets, `""` when unbound. */
  readonly path: string;
}

/** Parses the text of `/proc/net/unix`. */
export function parseUnixSockets(text: string): UnixSocketEntry[] {
  const entries: UnixSocketEntry[] = [];
  for (const line of text.split("\n").slice(1)) {
    // Num RefCount Protocol Flags Type St Inode [Path]; the path may hold spaces.
    const m =
      /^\s*\S+:\s+\S+\s+\S+\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+\S+\s+(\d+)(?: (.*))?$/
        .exec(line);
    if (!m) continue;
    entries.push({
      flags: parseInt(m[1]!, 16),
      type: parseInt(m[2]!, 16),
      inode: Number(m[3]),
      path: m[4] ?? "",
    });
  }
  return entries;
}

/** Whether an entry is a listening stream socket. */
function listeningStream(e: UnixSocketEntry): boolean {
  return (e.flags & SO_ACCEPTCON) !== 0 && e.type === SOCK_STREAM;
}

/** Whether the entries list `path` as a listening stream socket. */
export function listensOn(
  entries: readonly UnixSocketEntry[],
  path: string,
): boolean {
  return entries.some((e) => e.path === path && listeningStream(e));
}

/**
 * Whether a socket file may be in use, read without connecting: a listening
 * stream socket's bound path names it. `/proc/net/unix` shows paths as they
 * were given to `bind()`, so another spelling of the same file (`./`, a
 * symlinked directory, `/var/run` for `/run`) is matched by device and
 * inode; with `relativeByName`, a relative bound path, whose directory
 * cannot be known here, matches by file name alone, so that the answer errs
 * towards "in use". When the table cannot be read, it is "in use".
 */
export async function mayBeInUse(
  path: string,
  options: { readonly relativeByName?: boolean } = {},
): Promise<boolean> {
  let text: string;
  try {
    text = await Deno.readTextFile("/proc/net/unix");
  } catch {
    return true;
  }
  const target = await Deno.lstat(path).catch(() => undefined);
  const name = basename(path);
  for (const e of parseUnixSockets(text)) {
    if (!listeningStream(e) || e.path === "" || e.path.startsWith("@")) {
      continue;
    }
    if (e.path === path) return true;
    if (!e.path.startsWith("/")) {
      if (options.relativeByName && basename(e.path) === name) return true;
      continue;
    }
    if (target === undefined || basename(e.path) !== name) continue;
    const bound = await Deno.lstat(e.path).catch(() => undefined);
    if (bound && bound.dev === target.dev && bound.ino === target.ino) {
      return true;
    }
  }
  return false;
}

/**
 * Whether a UNIX stream socket listens on `path`, read without connecting.
 * `/proc/net/unix` is per network namespace: give `pid` to look in that
 * process's namespace.
 */
export async function isListening(
  path: string,
  pid?: number,
): Promise<boolean> {
  const source = pid === undefined ? "/proc/net/unix" : `/proc/${pid}/net/unix`;
  let text: string;
  try {
    text = await Deno.readTextFile(source);
  } catch {
    return false;
  }
  return listensOn(parseUnixSockets(text), path);
}

/** Fields of `/proc/PID/stat` the supervisor uses. */
export interface ProcStat {
  /** The command name (`comm`), at most 15 characters. */
  readonly comm: string;
  /** One-letter state: R, S, D, Z, T, … */
  readonly state: string;
  /** Parent PID. */
  readonly ppid: number;
  /** Start time in clock ticks after boot: tells a reused PID apart. */
  readonly startTime: number;
  /** User-mode CPU time in clock ticks. */
  readonly utime: number;
  /** Kernel-mode CPU time in clock ticks. */
  readonly stime: number;
}

/** Parses the text of `/proc/PID/stat` (the name may contain spaces and parentheses). */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const field = (n: number) => Number(rest[n - 3]);
  return {
    comm: text.slice(open + 1, close),
    state: rest[0] ?? "?",
    ppid: field(4),
    utime: field(14),
    stime: field(15),
    startTime: field(22),
  };
}

/** Reads `/proc/PID/stat`, or `undefined` when the process is gone. */
export async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseStat(await Deno.readTextFile(`/proc/${pid}/stat`));
  } catch {
    return undefined;
  }
}

/** Reads `/proc/PID/cmdline` as an argv, or `undefined` when the process is gone. */
export async function readCmdline(pid: number): Promise<string[] | undefined> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/cmdline`);
    if (text === "") return undefined; // a zombie or kernel thread
    return text.replace(/\0$/, "").split("\0");
  } catch {
    return undefined;
  }
}

/**
 * Reads the program of a process from `/proc/PID/exe`. Returns `undefined`
 * when the process is gone and `null` when the link may not be read (another
 * user's non-dumpable process).
 */
export async function readExe(pid: number): Promise<string | null | undefined> {
  try {
    return await Deno.readLink(`/proc/${pid}/exe`);
  } catch (error) {
    if (error instanceof Deno.errors.PermissionDenied) return null;
    return undefined;
  }
}

/** The names of passt's binaries: Debian's `passt` re-execs `passt.avx2`. */
const PASST_NAMES = new Set(["passt", "passt.avx2"]);

/** Whether a program path or command name is a passt binary. */
export function isPasstProgram(path: string): boolean {
  return PASST_NAMES.has(basename(path.replace(/ \(deleted\)$/, "")));
}
