/**
 * The QEMU arguments that connect a guest NIC to passt.
 *
 * @module
 */

import type { InterfaceDef } from "@passtkit/xml";

/** How QEMU is told to reconnect to passt's socket. */
export type QemuReconnect = "reconnect-ms" | "reconnect" | "none";

// libvirt's QEMU device names for the virtio model variants.
const VIRTIO_DRIVERS: Readonly<Record<string, string>> = {
  virtio: "virtio-net-pci",
  "virtio-transitional": "virtio-net-pci-transitional",
  "virtio-non-transitional": "virtio-net-pci-non-transitional",
};

/** QEMU's `-device` driver for an interface model. */
export function deviceDriver(iface: InterfaceDef): string {
  // libvirt's default NIC model on x86 is rtl8139; vhost-user is always virtio.
  const model = iface.model ??
    (iface.type === "vhostuser" ? "virtio" : "rtl8139");
  return VIRTIO_DRIVERS[model] ?? model;
}

/** QEMU's option syntax doubles commas inside a value. */
function optionValue(value: string): string {
  return value.replaceAll(",", ",,");
}

/** The QEMU arguments for one passt interface. */
export function qemuArgsFor(
  iface: InterfaceDef,
  alias: string,
  socket: string,
  reconnect: QemuReconnect,
): string[] {
  const netdevId = `host${alias}`;
  const device = JSON.stringify({
    driver: deviceDriver(iface),
    netdev: netdevId,
    id: alias,
    ...(iface.mac !== undefined ? { mac: iface.mac.toLowerCase() } : {}),
  });
  if (iface.type === "vhostuser") {
    const chardevId = `char${alias}`;
    const chardev = [
      "socket",
      `id=${optionValue(chardevId)}`,
      `path=${optionValue(socket)}`,
      ...(reconnect === "reconnect-ms"
        ? ["reconnect-ms=5000"]
        : reconnect === "reconnect"
        ? ["reconnect=5"]
        : []),
    ].join(",");
    return [
      "-chardev",
      chardev,
      "-netdev",
      JSON.stringify({ type: "vhost-user", chardev: chardevId, id: netdevId }),
      "-device",
      device,
    ];
  }
  const netdev = JSON.stringify({
    type: "stream",
    addr: { type: "unix", path: socket },
    server: false,
    ...(reconnect === "reconnect-ms"
      ? { "reconnect-ms": 5000 }
      : reconnect === "reconnect"
      ? { reconnect: 5 }
      : {}),
    id: netdevId,
  });
  return ["-netdev", netdev, "-device", device];
}
