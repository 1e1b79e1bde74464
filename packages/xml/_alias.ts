// Which <alias name> libvirt keeps, shared by interfaceAliases, format,
// validate and explain.

/**
 * Whether libvirt keeps an `<alias name>` in a defined domain: only user
 * aliases, which start with `ua-`.
 */
export function isUserAlias(name: string | undefined): name is string {
  return name !== undefined && name.startsWith("ua-");
}
