/**
 * The first upstream passt release that has each option added after the
 * Debian 2023 build. Private to the package; exported
 * as `PASST_OPTION_SINCE` from `features.ts`.
 *
 * @module
 */

/** Option spelling (`--vhost-user`, `-H`) → first release tag that has it. */
export const OPTION_SINCE: Readonly<Record<string, string>> = {
  "--no-copy-routes": "2023_06_03",
  "--no-copy-addrs": "2023_06_03",
  "--map-host-loopback": "2024_08_21",
  "--map-guest-addr": "2024_08_21",
  "--dns-host": "2024_10_30",
  "--freebind": "2024_10_30",
  "--host-lo-to-ns-lo": "2024_10_30",
  "--vhost-user": "2024_12_11",
  "--print-capabilities": "2024_12_11",
  "--socket-path": "2024_12_11",
  "--no-splice": "2024_12_11",
  "-H": "2025_02_17",
  "--hostname": "2025_02_17",
  "--fqdn": "2025_02_17",
  "--repair-path": "2025_02_17",
  "--migrate-exit": "2025_08_05",
  "--migrate-no-linger": "2025_08_05",
  "--stats": "2025_09_19",
  "--splice-only": "2026_01_20",
  "-c": "2026_05_07",
  "--conf-path": "2026_05_07",
  "--chroot-fallback": "2026_07_16",
};

/**
 * Describes options this passt lacks, naming the release that added each:
 * `--vhost-user (added in passt 2024_12_11)`.
 */
export function describeMissing(options: readonly string[]): string {
  return options.map((o) =>
    OPTION_SINCE[o] === undefined
      ? o
      : `${o} (added in passt ${OPTION_SINCE[o]})`
  ).join(", ");
}
