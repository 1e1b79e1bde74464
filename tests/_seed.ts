/**
 * Test fixture: the passt command line that `examples/seed.xml` stands for,
 * with the state directory `/run/passtkit` and the domain `vm` (id 1).
 *
 * @module
 */

import { escapeAttribute } from "@passtkit/xml";

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

/**
 * The seed made safe to run here: forwards on 127.0.0.1 bound to `lo`, every
 * host port moved up by `offset` (guest ports of the TCP forward unchanged;
 * the UDP forward has no `to`, so its guest port is its host port), routes
 * from `upstream`, and the log file in `dir`.
 */
export function loopbackSeed(
  dir: string,
  offset: number,
  upstream: string,
): string {
  return `<interface type='user'>
  <mac address='52:54:00:a8:33:fc'/>
  <ip address='192.168.221.122' family='ipv4'/>
  <model type='virtio'/>
  <backend type='passt' logFile='${
    escapeAttribute(`${dir}/xyzzy.log`)
  }' upstream='${upstream}'/>
  <portForward address='127.0.0.1' proto='tcp' dev='lo'>
    <range start='${2022 + offset}' to='22'/>
    <range start='${5000 + offset}' end='${5099 + offset}' to='1000'/>
    <range start='${5010 + offset}' end='${5029 + offset}' exclude='yes'/>
  </portForward>
  <portForward proto='udp' address='127.0.0.1'>
    <range start='${10101 + offset}'/>
  </portForward>
</interface>
`;
}
