/**
 * Making the state directory usable by passt before it runs.
 *
 * @module
 */

/** Options for {@linkcode ensureStateDir}. */
export interface EnsureStateDirOptions {
  /**
   * The user id passt is started as (`0` for root).
   *
   * @default {Deno.uid()}
   */
  readonly uid?: number | null;
  /**
   * The user and group a root-started passt switches to.
   *
   * @default {"nobody" from /etc/passwd, else 65534:65534}
   */
  readonly runAs?: { readonly uid: number; readonly gid: number };
}

/** What {@linkcode ensureStateDir} did and found. */
export interface EnsureStateDirResult {
  /** Whether the directory was created. */
  readonly created: boolean;
  /** Problems that will stop passt from creating its socket or PID file there. */
  readonly warnings: readonly string[];
}

/** The uid and gid of `nobody`, which passt started as root switches to. */
function nobody(): { uid: number; gid: number } {
  try {
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const [name, , uid, gid] = line.split(":");
      if (name === "nobody" && uid && gid) {
        return { uid: Number(uid), gid: Number(gid) };
      }
    }
  } catch {
    // no /etc/passwd: the usual numbers
  }
  return { uid: 65534, gid: 65534 };
}

/**
 * Creates the state directory when it is missing, so that passt can create
 * its socket and PID file there, and reports an existing one passt cannot
 * write to.
 *
 * passt started as root switches to `nobody`; the 2023
 * passt does so *before* it creates the socket and PID file, and then fails
 * silently on the socket. So for root the directory is created owned by
 * `nobody`, for any other user owned by that user, with mode 0700 either way
 * (as `@passtkit/supervisor` does). Missing parents are created with mode
 * 0755.
 *
 * @param dir The absolute state directory.
 * @param options The user passt runs as.
 * @returns Whether it was created, and warnings about an existing one.
 * @throws {TypeError} When `dir` is not absolute.
 * @throws {Deno.errors.PermissionDenied} When it cannot be created.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensureStateDir } from "@passtkit/args";
 *
 * const root = await Deno.makeTempDir();
 * const result = await ensureStateDir(`${root}/passtkit`, { uid: 1000 });
 * assert.deepEqual(result, { created: true, warnings: [] });
 * assert.equal((await Deno.stat(`${root}/passtkit`)).mode! & 0o777, 0o700);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function ensureStateDir(
  dir: string,
  options: EnsureStateDirOptions = {},
): Promise<EnsureStateDirResult> {
  if (!dir.startsWith("/")) {
    throw new TypeError(
      `The state directory must be an absolute path, got '${dir}'`,
    );
  }
  const uid = options.uid !== undefined ? options.uid : Deno.uid();
  const runAs = uid === 0 ? options.runAs ?? nobody() : undefined;
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (info === undefined) {
    await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
    // Like @passtkit/supervisor: 0700, owned by the user passt runs as, so
    // only passt (and root) can reach its socket and PID file.
    if (runAs) await Deno.chown(dir, runAs.uid, runAs.gid);
    await Deno.chmod(dir, 0o700);
    return { created: true, warnings: [] };
  }
  if (!info.isDirectory) {
    return {
      created: false,
      warnings: [`'${dir}' exists and is not a directory`],
    };
  }
  const mode = info.mode ?? 0o777;
  const writable = runAs === undefined ||
    (mode & 0o002) !== 0 ||
    (info.uid === runAs.uid && (mode & 0o200) !== 0) ||
    (info.gid === runAs.gid && (mode & 0o020) !== 0);
  return {
    created: false,
    warnings: writable ? [] : [
      `passt started as root runs as uid ${runAs.uid}, which cannot write to '${dir}' (owner ${info.uid}, mode ${
        (mode & 0o7777).toString(8).padStart(4, "0")
      }); chown it to ${runAs.uid}:${runAs.gid} or make it world-writable with the sticky bit`,
    ],
  };
}
