/**
 * Checks of one `<range>` on its own, shared by the map and the checker.
 *
 * @module
 */

import type { PortRange } from "./types.ts";

/** A problem of a single range, before it gets its message. */
export interface RangeIssue {
  readonly code:
    | "missing-start"
    | "port-invalid"
    | "port-too-large"
    | "port-zero"
    | "end-before-start"
    | "exclude-with-to"
    | "mapping-overflow";
  readonly attribute: "start" | "end" | "to" | "exclude";
  readonly value?: number;
}

/** The highest port number. */
export const MAX_PORT = 65535;

function valueIssue(
  attribute: "start" | "end" | "to",
  value: number | undefined,
): RangeIssue | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) {
    return { code: "port-invalid", attribute, value };
  }
  if (value > MAX_PORT) return { code: "port-too-large", attribute, value };
  if (value < 1) return { code: "port-zero", attribute, value };
  return undefined;
}

/** Every problem of one range, in attribute order. */
export function rangeIssues(range: PortRange): RangeIssue[] {
  const issues: RangeIssue[] = [];
  if (range.start === undefined) {
    issues.push({ code: "missing-start", attribute: "start" });
  }
  for (const attribute of ["start", "end", "to"] as const) {
    const issue = valueIssue(attribute, range[attribute]);
    if (issue) issues.push(issue);
  }
  const { start, end, to } = range;
  const numbersOk = issues.length === 0;
  if (numbersOk && start !== undefined && end !== undefined && end < start) {
    issues.push({ code: "end-before-start", attribute: "end", value: end });
  }
  if (range.exclude === true && to !== undefined) {
    issues.push({ code: "exclude-with-to", attribute: "to", value: to });
  } else if (
    issues.length === 0 && start !== undefined && to !== undefined &&
    to + (end ?? start) - start > MAX_PORT
  ) {
    issues.push({ code: "mapping-overflow", attribute: "to", value: to });
  }
  return issues;
}

/** A valid range's host ports and the offset to its guest ports. */
export interface ValidRange {
  readonly start: number;
  readonly end: number;
  readonly delta: number;
  readonly exclude: boolean;
}

const isPort = (value: number) =>
  Number.isInteger(value) && value >= 1 && value <= MAX_PORT;

/**
 * The host ports and offset of a range, or `undefined` if it has a problem
 * (the same rules as {@linkcode rangeIssues}, without building the list).
 */
export function validRange(range: PortRange): ValidRange | undefined {
  const { start, end, to } = range;
  if (start === undefined || !isPort(start)) return undefined;
  const last = end ?? start;
  if (end !== undefined && (!isPort(end) || end < start)) return undefined;
  const exclude = range.exclude === true;
  if (to !== undefined) {
    if (exclude || !isPort(to) || to + last - start > MAX_PORT) {
      return undefined;
    }
  }
  return { start, end: last, delta: (to ?? start) - start, exclude };
}

/** `5000`, or `5000-5099` when the range spans more than one port. */
export function portText(start: number, end: number): string {
  return start === end ? `${start}` : `${start}-${end}`;
}

/** `port 5000` or `ports 5000-5099`. */
export function portsText(start: number, end: number): string {
  return start === end ? `port ${start}` : `ports ${start}-${end}`;
}
