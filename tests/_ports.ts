/**
 * Test fixture: which host ports are in use, and a free place for the seed's
 * forwards on loopback. Test files run in parallel, so each that makes passt
 * (or anything) listen keeps to ports of its own, all below 32768, outside
 * Linux's ephemeral range (32768-60999 by default), where the kernel would
 * hand them out to outgoing connections:
 *
 * - `packages/supervisor/passt_process_test.ts`: 11000-11099;
 * - `packages/supervisor/group_test.ts`: 11100-11199;
 * - `supervisor_faults_test.ts`: 11300-11399;
 * - `supervisor_readme_test.ts`: 11500-11509;
 * - `cli_run_test.ts`: 11600-11999;
 * - the loopback seed ({@linkcode freeSeedOffset}: TCP 2022+o and
 *   5000+o to 5099+o, UDP 10101+o): offsets 13000, 13200, 13400 for
 *   `args_passt_test.ts`, 13600, 13800, 12600 for `e2e_guest_test.ts`
 *   (TCP 14622-15822 and 17600-18899, UDP 22701-23901);
 * - `args_passt_test.ts` moves every example's ports into 24000-32767.
 *
 * @module
 */

/** Local ports in use on this machine (any address, any state), from /proc/net. */
export function usedPorts(proto: "tcp" | "udp"): Set<number> {
  const used = new Set<number>();
  for (const file of [`/proc/net/${proto}`, `/proc/net/${proto}6`]) {
    let table = "";
    try {
      table = Deno.readTextFileSync(file);
    } catch {
      continue; // no IPv6
    }
    for (const line of table.split("\n").slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const port = local?.split(":")[1];
      if (port) used.add(parseInt(port, 16));
    }
  }
  return used;
}

/** Whether a host port is free for that protocol. */
export function portFree(proto: "tcp" | "udp", port: number): boolean {
  return !usedPorts(proto).has(port);
}

/** The host ports the seed forwards, as [TCP ports, UDP ports]. */
export const SEED_HOST_PORTS: readonly [readonly number[], readonly number[]] =
  [
    [2022, ...Array.from({ length: 100 }, (_, i) => 5000 + i)],
    [10101],
  ];

/**
 * The first offset of `candidates` at which every host port of the seed is
 * free. Callers that may run at the same time pass disjoint candidates.
 *
 * @throws {Error} When none is free.
 */
export function freeSeedOffset(candidates: readonly number[]): number {
  const [tcp, udp] = SEED_HOST_PORTS;
  for (const offset of candidates) {
    const usedTcp = usedPorts("tcp");
    const usedUdp = usedPorts("udp");
    if (
      tcp.every((p) => !usedTcp.has(p + offset)) &&
      udp.every((p) => !usedUdp.has(p + offset))
    ) return offset;
  }
  throw new Error(`no free loopback ports for the seed at ${candidates}`);
}
