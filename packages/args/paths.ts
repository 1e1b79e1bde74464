/**
 * Where passt's socket and PID file go: state directory, libvirt's short
 * domain name and the interface alias.
 *
 * @module
 */

/**
 * The longest UNIX socket path, in bytes, that fits `sun_path` (108 bytes
 * with the terminating NUL). passt rejects longer paths; QEMU too.
 */
export const MAX_SOCKET_PATH = 107;

/**
 * The longest socket path, in bytes, that Debian bookworm's passt
 * (2023-03-09) uses as given: it silently cuts 99–107 byte paths to 98, so QEMU
 * would look for a socket that is not there.
 */
export const MAX_SOCKET_PATH_2023 = 98;

/** What {@linkcode defaultStateDir} reads; tests pass their own. */
export interface StateDirEnvironment {
  /** The user id (`0` for root). */
  readonly uid: number | null;
  /** `$XDG_RUNTIME_DIR`, if set. */
  readonly xdgRuntimeDir?: string;
  /** `$TMPDIR`, if set. */
  readonly tmpDir?: string;
}

/**
 * Returns the directory passtkit puts passt's sockets and PID files in when
 * none is given: `/run/passtkit` for root, `$XDG_RUNTIME_DIR/passtkit` for
 * any other user (like libvirt's system and session daemons, which use
 * `/run/libvirt/qemu/passt` and `$XDG_RUNTIME_DIR/libvirt/qemu/run/passt`).
 * A normal user without `$XDG_RUNTIME_DIR` gets `$TMPDIR/passtkit-<uid>`
 * (`/tmp` when `$TMPDIR` is unset).
 *
 * @param environment The user id and environment; the running process's by default.
 * @returns An absolute directory path.
 * @throws {Deno.errors.NotCapable} When reading the process's own user id or
 *   environment is not permitted (`--allow-sys=uid`, `--allow-env`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultStateDir } from "@passtkit/args";
 *
 * assert.equal(defaultStateDir({ uid: 0 }), "/run/passtkit");
 * assert.equal(
 *   defaultStateDir({ uid: 1000, xdgRuntimeDir: "/run/user/1000" }),
 *   "/run/user/1000/passtkit",
 * );
 * assert.equal(defaultStateDir({ uid: 1000 }), "/tmp/passtkit-1000");
 * ```
 */
export function defaultStateDir(
  environment: StateDirEnvironment = processEnvironment(),
): string {
  if (environment.uid === 0) return "/run/passtkit";
  const runtime = environment.xdgRuntimeDir;
  if (runtime && runtime.startsWith("/")) {
    return `${runtime.replace(/\/+$/, "")}/passtkit`;
  }
  const tmp = environment.tmpDir && environment.tmpDir.startsWith("/")
    ? environment.tmpDir.replace(/\/+$/, "")
    : "/tmp";
  return `${tmp}/passtkit-${environment.uid ?? "user"}`;
}

function processEnvironment(): StateDirEnvironment {
  const xdgRuntimeDir = Deno.env.get("XDG_RUNTIME_DIR");
  const tmpDir = Deno.env.get("TMPDIR");
  return {
    uid: Deno.uid(),
    ...(xdgRuntimeDir !== undefined ? { xdgRuntimeDir } : {}),
    ...(tmpDir !== undefined ? { tmpDir } : {}),
  };
}

/**
 * Returns libvirt's short domain name, `<id>-<name>`, with the name cut to
 * its first 20 characters (code points, not bytes), as libvirt's
 * `virDomainDefGetShortName` does.
 *
 * @param id The domain id (libvirt's tests use `-1`).
 * @param name The domain name.
 * @returns The short name, e.g. `-1-QEMUGuest1`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shortName } from "@passtkit/args";
 *
 * assert.equal(shortName(-1, "QEMUGuest1"), "-1-QEMUGuest1");
 * assert.equal(shortName(5, "a-very-long-domain-name-indeed"), "5-a-very-long-domain-n");
 * assert.equal(shortName(1, "ééééééééééééééééééééé"), "1-" + "é".repeat(20));
 * ```
 */
export function shortName(id: number, name: string): string {
  return `${id}-${Array.from(name).slice(0, 20).join("")}`;
}

// libvirt's alias rule lives in @passtkit/xml, which validate and the ports
// command share; it stays exported here for existing users.
export { interfaceAliases } from "@passtkit/xml";

/** The inputs of {@linkcode passtPaths}. */
export interface PasstPathsOptions {
  /** The directory for sockets and PID files; must be absolute. */
  readonly stateDir: string;
  /** The domain id. */
  readonly domainId: number;
  /** The domain name (cut to 20 characters in the paths). */
  readonly domainName: string;
  /** The interface alias, e.g. `net0`. */
  readonly alias: string;
}

/** The socket and PID file paths of one passt. */
export interface PasstPaths {
  /** `<id>-<name, 20 characters>`. */
  readonly shortName: string;
  /** `<stateDir>/<shortName>-<alias>.socket`. */
  readonly socket: string;
  /** `<stateDir>/<shortName>-<alias>-passt.pid`. */
  readonly pidfile: string;
}

/**
 * Returns the socket and PID file paths libvirt gives passt for one
 * interface. Lengths are not checked here;
 * {@linkcode buildPasstArgv} reports a socket path over
 * {@linkcode MAX_SOCKET_PATH} bytes.
 *
 * @param options State directory, domain id and name, alias.
 * @returns The short name and both paths.
 * @throws {TypeError} When `stateDir` is not an absolute path.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { passtPaths } from "@passtkit/args";
 *
 * assert.deepEqual(
 *   passtPaths({ stateDir: "/run/passtkit", domainId: 1, domainName: "vm", alias: "net0" }),
 *   {
 *     shortName: "1-vm",
 *     socket: "/run/passtkit/1-vm-net0.socket",
 *     pidfile: "/run/passtkit/1-vm-net0-passt.pid",
 *   },
 * );
 * ```
 */
export function passtPaths(options: PasstPathsOptions): PasstPaths {
  if (!options.stateDir.startsWith("/")) {
    throw new TypeError(
      `The state directory must be an absolute path, got '${options.stateDir}'`,
    );
  }
  const dir = options.stateDir === "/"
    ? ""
    : options.stateDir.replace(/\/+$/, "");
  const short = shortName(options.domainId, options.domainName);
  const base = `${dir}/${short}-${options.alias}`;
  return {
    shortName: short,
    socket: `${base}.socket`,
    pidfile: `${base}-passt.pid`,
  };
}
