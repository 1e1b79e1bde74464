/**
 * Helpers shared by the argv builders.
 *
 * @module
 */

import {
  canonicalAddress,
  type Diagnostic,
  type InterfaceDef,
} from "@passtkit/xml";

/** The canonical text of an address, or the text as written when it does not parse. */
export function canonical(text: string): string {
  return canonicalAddress(text)?.text ?? text;
}

/** Whether an interface runs a passt (libvirt ≥ 9.0.0 `user`, ≥ 11.1.0 `vhostuser`). */
export function usesPasst(iface: InterfaceDef): boolean {
  return iface.backend?.type === "passt";
}

/** The host interface passt takes routes from: `<source dev>`, else the seed's `upstream`. */
export function upstreamDev(iface: InterfaceDef): string | undefined {
  return iface.sourceDev ?? iface.backend?.upstream;
}

/** A diagnostic at the interface element. */
export function interfaceDiagnostic(
  iface: InterfaceDef,
  severity: "error" | "warning",
  code: string,
  message: string,
): Diagnostic {
  return {
    severity,
    code,
    message,
    line: iface.source.line,
    column: iface.source.column,
    interface: iface.index,
  };
}

/** Sorts diagnostics by position, keeping the order of equal ones. */
export function byPosition(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) =>
    a.line - b.line || a.column - b.column
  );
}

/** The file name without directory and `.xml` extension, or `undefined`. */
export function fileStem(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const base = file.split("/").pop() ?? "";
  const stem = base.replace(/\.xml$/i, "");
  return stem === "" ? undefined : stem;
}
