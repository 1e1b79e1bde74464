/**
 * Test fixture: the passt command line that `examples/seed.xml` stands for,
 * with the state directory `/run/passtkit` and the domain `vm` (id 1).
 *
 * @module
 */

/** The seed's passt argv, word by word. */
export const SEED_ARGV: readonly string[] = [
  "passt",
  "--one-off",
  "--socket",
  "/run/passtkit/1-vm-net0.socket",
  "--pid",
  "/run/passtkit/1-vm-net0-passt.pid",
  "--interface",
  "eth0",
  "--log-file",
  "/tmp/xyzzy.log",
  "--address",
  "192.168.221.122",
  "--tcp-ports",
  "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
  "--udp-ports",
  "10101",
];
