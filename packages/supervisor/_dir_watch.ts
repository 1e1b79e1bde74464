/**
 * One `Deno.watchFs` per directory, shared by everyone waiting for a file in
 * it (200 passt instances in one state directory use one inotify instance,
 * and the default limit is 128 per user). Private to the package.
 *
 * @module
 */

import { basename, dirname } from "node:path";

interface DirWatch {
  readonly watcher: Deno.FsWatcher;
  readonly listeners: Map<string, Set<() => void>>;
  readonly loop: Promise<void>;
  users: number;
}

const watches = new Map<string, DirWatch>();

/** A subscription to changes of one file. */
export interface FileWatch {
  /** Whether events will come (`false`: watching failed, poll instead). */
  readonly active: boolean;
  /** Ends the subscription; the shared watcher closes with its last user. */
  release(): Promise<void>;
}

/**
 * Calls `onChange` whenever `path` is created, written or removed.
 * Falls back to `active: false` when the directory cannot be watched.
 */
export function watchFile(path: string, onChange: () => void): FileWatch {
  const dir = dirname(path);
  const name = basename(path);
  let watch = watches.get(dir);
  if (watch === undefined) {
    let watcher: Deno.FsWatcher;
    try {
      watcher = Deno.watchFs(dir, { recursive: false });
    } catch {
      return { active: false, release: () => Promise.resolve() };
    }
    const listeners = new Map<string, Set<() => void>>();
    const loop = (async () => {
      try {
        for await (const event of watcher) {
          for (const changed of event.paths) {
            for (const listener of listeners.get(basename(changed)) ?? []) {
              listener();
            }
          }
        }
      } catch {
        // Closed or failed: waiters fall back to their poll.
      }
    })();
    watch = { watcher, listeners, loop, users: 0 };
    watches.set(dir, watch);
  }
  const current = watch;
  current.users++;
  let set = current.listeners.get(name);
  if (set === undefined) current.listeners.set(name, set = new Set());
  set.add(onChange);
  let released = false;
  return {
    active: true,
    release: async () => {
      if (released) return;
      released = true;
      current.listeners.get(name)?.delete(onChange);
      if (current.listeners.get(name)?.size === 0) {
        current.listeners.delete(name);
      }
      if (--current.users === 0) {
        if (watches.get(dir) === current) watches.delete(dir);
        try {
          current.watcher.close();
        } catch {
          // already closed
        }
        await current.loop;
      }
    },
  };
}
