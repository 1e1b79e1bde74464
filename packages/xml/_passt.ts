// Which interfaces passt serves, shared by validate and passtForwards.

import type { InterfaceDef } from "./model.ts";

/**
 * Whether libvirt runs passt for an interface: `<backend type='passt'>` on
 * `type='user'` or `type='vhostuser'`.
 */
export function servedByPasst(iface: InterfaceDef): boolean {
  return iface.backend?.type === "passt" &&
    (iface.type === "user" || iface.type === "vhostuser");
}
