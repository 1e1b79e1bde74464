/**
 * The user passt runs as, and a state directory that user can write.
 *
 * The 2023 passt started as root switches to `nobody` (or the `--runas`
 * user) *before* it creates its socket and PID file, so their directory must
 * be writable by that user, and every directory above it searchable. Newer
 * passt creates them before switching, which these rules also satisfy.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { StateDirError } from "./errors.ts";

/** A numeric user and group. */
export interface RunAsUser {
  /** User ID. */
  readonly uid: number;
  /** Group ID. */
  readonly gid: number;
  /** A name for messages, e.g. `nobody` or `uid 107`. */
  readonly label: string;
}

function lookup(file: string, name: string): string[] | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields[0] === name) return fields;
  }
  return undefined;
}

/**
 * Returns the user a passt started by this process runs as: ourselves when we
 * are not root; otherwise the `--runas` value (UID, UID:GID, LOGIN or
 * LOGIN:GROUP) or, without it, `nobody`.
 *
 * @param runAs The argv's `--runas` value, if any.
 * @param uid Our user ID (for tests).
 * @returns The user and group passt will run as.
 * @throws {StateDirError} When a login or group name is unknown.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { passtUser } from "@passtkit/supervisor";
 * assert.deepEqual(passtUser("107:108", 0), { uid: 107, gid: 108, label: "uid 107" });
 * assert.equal(passtUser("0", 0).uid, 0);
 * ```
 */
export function passtUser(
  runAs: string | undefined,
  uid: number = Deno.uid() ?? 0,
): RunAsUser {
  if (uid !== 0) {
    return { uid, gid: Deno.gid() ?? uid, label: `uid ${uid}` };
  }
  const spec = runAs ?? "nobody";
  const [userPart = "", groupPart] = spec.split(":");
  let userId: number;
  let groupId: number | undefined;
  let label: string;
  if (/^\d+$/.test(userPart)) {
    userId = Number(userPart);
    label = `uid ${userId}`;
    const entry = lookupUid(userId);
    groupId = entry === undefined ? userId : Number(entry[3]);
  } else {
    const entry = lookup("/etc/passwd", userPart);
    if (entry === undefined) {
      if (runAs === undefined) {
        return { uid: 65534, gid: 65534, label: "nobody" };
      }
      throw new StateDirError(spec, `unknown --runas user '${userPart}'`);
    }
    userId = Number(entry[2]);
    groupId = Number(entry[3]);
    label = userPart;
  }
  if (groupPart !== undefined) {
    if (/^\d+$/.test(groupPart)) {
      groupId = Number(groupPart);
    } else {
      const entry = lookup("/etc/group", groupPart);
      if (entry === undefined) {
        throw new StateDirError(spec, `unknown --runas group '${groupPart}'`);
      }
      groupId = Number(entry[2]);
    }
  }
  return { uid: userId, gid: groupId, label };
}

function lookupUid(uid: number): string[] | undefined {
  try {
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const fields = line.split(":");
      if (fields[2] === String(uid)) return fields;
    }
  } catch {
    // no passwd file
  }
  return undefined;
}

/** Whether `user` has the permission `bit` (4 read, 2 write, 1 search) on a file. */
function allowed(info: Deno.FileInfo, user: RunAsUser, bit: number): boolean {
  if (user.uid === 0) return true;
  const mode = info.mode ?? 0;
  if (info.uid === user.uid) return (mode & (bit << 6)) !== 0;
  if (info.gid === user.gid) return (mode & (bit << 3)) !== 0;
  return (mode & bit) !== 0;
}

/** Quotes a path for a shell command line when it needs quoting. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text)
    ? text
    : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * How to make an existing directory writable for passt's user, in terms of
 * the directory (the CLI has no `--runas`; library callers may also add
 * `--runas` to passt's argv, see the README).
 */
function writeFix(path: string, info: Deno.FileInfo, user: RunAsUser): string {
  const dir = shellWord(path);
  const ownerBits = ((info.mode ?? 0) >> 6) & 0o3;
  const chmod = ownerBits === 0o3 ? "" : ` and 'chmod u+wx ${dir}'`;
  if (Deno.uid() !== 0) {
    return info.uid === user.uid
      ? `run 'chmod u+wx ${dir}'`
      : "name a directory of your own, or one that does not exist yet";
  }
  const owner = user.label.startsWith("uid ") ? String(user.uid) : user.label;
  return `run 'chown ${owner} ${dir}'${chmod}, or name a directory that does not exist yet (it is then created for ${user.label})`;
}

/**
 * Makes sure `dir` exists and passt's user can use it. A missing directory
 * is created with mode 0700 and, when we are root, given to passt's user, so
 * only passt and root can use it; missing parents are created with 0755. An
 * existing directory is never changed: it must already be writable by
 * passt's user.
 *
 * @param dir The directory that will hold sockets and PID files.
 * @param user The user passt runs as ({@linkcode passtUser}).
 * @returns `true` when the directory was created.
 * @throws {StateDirError} When it is not a directory, is not writable by
 *   passt's user, or a directory above it is not searchable by that user.
 * @example
 * ```ts ignore
 * import { passtUser, prepareStateDir } from "@passtkit/supervisor";
 * await prepareStateDir("/run/passtkit/vm1", passtUser(undefined));
 * ```
 */
export async function prepareStateDir(
  dir: string,
  user: RunAsUser,
): Promise<boolean> {
  const path = resolve(dir);
  let created = false;
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new StateDirError(
        path,
        String(error instanceof Error ? error.message : error),
      );
    }
  }
  if (info === undefined) {
    const missing: string[] = [];
    for (let p = path;; p = dirname(p)) {
      try {
        await Deno.stat(p);
        break;
      } catch {
        missing.unshift(p);
        if (p === dirname(p)) break;
      }
    }
    for (const [i, p] of missing.entries()) {
      const mode = i === missing.length - 1 ? 0o700 : 0o755;
      try {
        await Deno.mkdir(p, { mode });
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) {
          throw new StateDirError(
            path,
            `cannot create '${p}': ${(error as Error).message}`,
          );
        }
        continue;
      }
      await Deno.chmod(p, mode); // mkdir's mode is masked by the umask
    }
    const mine = Deno.uid();
    if (mine === 0 && user.uid !== 0) {
      await Deno.chown(path, user.uid, user.gid);
    }
    created = true;
    info = await Deno.stat(path);
  }
  if (!info.isDirectory) throw new StateDirError(path, "it is not a directory");
  if (!allowed(info, user, 2) || !allowed(info, user, 1)) {
    throw new StateDirError(
      path,
      `${user.label}, the user passt runs as, cannot write to it; ${
        writeFix(path, info, user)
      }`,
    );
  }
  for (let p = dirname(path);; p = dirname(p)) {
    const parent = await Deno.stat(p);
    if (!allowed(parent, user, 1)) {
      throw new StateDirError(
        path,
        `${user.label}, the user passt runs as, cannot reach it through '${p}'`,
      );
    }
    if (p === dirname(p)) break;
  }
  return created;
}
