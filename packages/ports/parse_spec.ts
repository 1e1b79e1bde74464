/**
 * Parsing passt `--tcp-ports` / `--udp-ports` specs back into ranges.
 *
 * @module
 */

import type { PortForward, PortRange, Protocol } from "./types.ts";
import { allPorts, type PasstTargetOptions } from "./target.ts";
import { mappedIPv4, parseIPv4, parseIPv6 } from "./_address.ts";
import { mergeIntervals, type Piece, subtractIntervals } from "./_intervals.ts";
import { findOverlaps } from "./_overlap.ts";
import { MAX_PORT, portsText } from "./_range.ts";

/** Options of {@linkcode parseSpec}. */
export interface ParseSpecOptions extends PasstTargetOptions {
  /**
   * The protocol of the option the spec belongs to (`-t` or `-u`).
   *
   * @default {"tcp"}
   */
  readonly proto?: Protocol;
}

/** A parsed passt port spec. */
export interface ParsedSpec {
  /**
   * `none` forwards nothing; `all` is passt's `all` (the forward then holds
   * only its exclusions, if any); `ports` is a list of ranges.
   *
   * Note that `forward.ranges` is empty both for `none` and for a plain
   * `all`: check `mode` before computing a map.
   */
  readonly mode: "none" | "all" | "ports";
  /** The spec as a `<portForward>`: address, device and XML-style ranges. */
  readonly forward: PortForward;
}

/** A port spec that passt would reject; the message quotes the spec and the bad item. */
export class PortSpecError extends SyntaxError {
  /** The whole spec. */
  readonly spec: string;
  /** 0-based index of the bad item in `spec`. */
  readonly offset: number;
  /** The bad item, as written. */
  readonly item: string;

  /**
   * Creates the error.
   *
   * @param spec The whole spec.
   * @param offset 0-based index of the bad item.
   * @param item The bad item as written.
   * @param reason What is wrong, one clause quoting the item.
   */
  constructor(spec: string, offset: number, item: string, reason: string) {
    super(`Invalid port spec '${spec}': ${reason}`);
    this.name = "PortSpecError";
    this.spec = spec;
    this.offset = offset;
    this.item = item;
  }
}

const SPACE = /[ \t\n\v\f\r]/;

interface Cursor {
  readonly text: string;
  pos: number;
}

/** Reads a number as strtoul(…, 10) does: leading white space and `+` allowed. */
function readNumber(cursor: Cursor): number | undefined {
  let pos = cursor.pos;
  while (pos < cursor.text.length && SPACE.test(cursor.text[pos] as string)) {
    pos++;
  }
  if (cursor.text[pos] === "+") pos++;
  const digits = /^[0-9]+/.exec(cursor.text.slice(pos));
  if (!digits) return undefined;
  cursor.pos = pos + digits[0].length;
  return Number(digits[0]);
}

interface NumberRange {
  readonly first: number;
  readonly last?: number;
}

function readRange(cursor: Cursor): NumberRange | undefined {
  const first = readNumber(cursor);
  if (first === undefined) return undefined;
  if (cursor.text[cursor.pos] !== "-") return { first };
  const save = cursor.pos;
  cursor.pos++;
  const last = readNumber(cursor);
  if (last === undefined) {
    cursor.pos = save;
    return undefined;
  }
  return { first, last };
}

/**
 * Parses a passt `-t` / `-u` spec with the grammar of the target passt.
 *
 * Both grammars: `none`, `all`, `[ADDR[%IF]/]LIST` where LIST items are
 * `PORT[-PORT][:PORT[-PORT]]` or `~PORT[-PORT]`, numbers as `strtoul` reads
 * them (leading white space and `+` accepted). The 2023 grammar rejects
 * brackets, `*`, `%IF` without an address, `ADDR/all`, interface names longer
 * than 12 characters, overlapping exclusions and IPv4-mapped addresses (which
 * it cannot bind); it accepts port 0 (bound as a random port). The 2026
 * grammar adds `[ADDR]`, `*`, `%IF/` and `/` alone, `all` inside a list,
 * names up to 15 characters, overlapping exclusions, and rejects port 0.
 * Target addresses of the 2026 grammar (`PORT:ADDR/PORT`, `all:ADDR`) cannot
 * be written as a `<range>` and are rejected. Ranges that share forwarded
 * ports are rejected, as both passt versions do.
 *
 * `all` combined with explicit ranges (2026) is returned with mode `all` and
 * the covered ports written out as ranges (1-32767 and 61000-65535).
 *
 * @param spec The spec, e.g. `127.0.0.1/40000-40019,~40005-40009`.
 * @param options The protocol and the target passt.
 * @returns The mode and the spec as a `<portForward>`.
 * @throws {PortSpecError} When the target passt would reject the spec.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSpec } from "@passtkit/ports";
 *
 * const parsed = parseSpec("127.0.0.1/40000-40019,~40005-40009");
 * assert.equal(parsed.mode, "ports");
 * assert.deepEqual(parsed.forward, {
 *   proto: "tcp",
 *   address: "127.0.0.1",
 *   ranges: [
 *     { start: 40000, end: 40019 },
 *     { start: 40005, end: 40009, exclude: true },
 *   ],
 * });
 * assert.throws(
 *   () => parseSpec("127.0.0.1/40010-40000"),
 *   { name: "PortSpecError", message: "Invalid port spec '127.0.0.1/40010-40000': range '40010-40000' ends before it starts" },
 * );
 * ```
 */
export function parseSpec(
  spec: string,
  options?: ParseSpecOptions,
): ParsedSpec {
  const proto = options?.proto ?? "tcp";
  const target = options?.target ?? "2023";
  const fail = (offset: number, item: string, reason: string): never => {
    throw new PortSpecError(spec, offset, item, reason);
  };
  const forwardOf = (
    ranges: PortRange[],
    address?: string,
    dev?: string,
  ): PortForward => ({
    proto,
    ...(address !== undefined ? { address } : {}),
    ...(dev !== undefined ? { dev } : {}),
    ranges,
  });

  if (spec === "none") return { mode: "none", forward: forwardOf([]) };
  if (spec === "auto") {
    fail(0, spec, "'auto' port forwarding is only allowed for pasta");
  }
  if (spec === "") fail(0, spec, "the spec is empty");

  let address: string | undefined;
  let dev: string | undefined;
  let body = spec;
  let bodyOffset = 0;
  const slash = spec.indexOf("/");
  if (slash >= 0) {
    body = spec.slice(slash + 1);
    bodyOffset = slash + 1;
    const listen = spec.slice(0, slash);
    const percent = listen.indexOf("%");
    const addressText = percent >= 0 ? listen.slice(0, percent) : listen;
    if (percent >= 0) {
      dev = listen.slice(percent + 1);
      const max = target === "2026" ? 15 : 12;
      // An empty name binds to no device; passt 2023 accepts it (tested).
      if (dev.length > max) {
        fail(
          percent + 1,
          dev,
          `interface name '${dev}' is too long (passt ${target} accepts at most ${max} characters)`,
        );
      }
    }
    address = parseListenAddress(addressText, dev !== undefined, target, fail);
    if (dev === "") dev = undefined;
  }

  if (target === "2023" && spec === "all") {
    return { mode: "all", forward: forwardOf([]) };
  }
  if (body === "") fail(bodyOffset, body, "the port list is empty");

  const ranges: PortRange[] = [];
  const offsets: number[] = [];
  const texts: string[] = [];
  let all = false;
  let offset = bodyOffset;
  for (const item of body.split(",")) {
    const itemOffset = offset;
    offset += item.length + 1;
    if (item === "") {
      fail(
        itemOffset,
        item,
        `the item at offset ${itemOffset} is empty (a comma too many)`,
      );
    }
    if (item === "auto") {
      fail(
        itemOffset,
        item,
        "'auto' port forwarding is only allowed for pasta",
      );
    }
    if (item === "all" || item.startsWith("all:")) {
      if (target === "2023") {
        fail(
          itemOffset,
          item,
          slash >= 0 && body === "all"
            ? `'${spec}' is not accepted by passt 2023, which takes 'all' only as the whole spec, without an address`
            : `'${item}' is not accepted by passt 2023 inside a list; 'all' must be the whole spec`,
        );
      }
      if (item !== "all") {
        fail(
          itemOffset,
          item,
          `'${item}' forwards to a guest address, which a <portForward> range cannot express`,
        );
      }
      all = true;
      continue;
    }
    const range = parseItem(item, itemOffset, target, fail);
    ranges.push(range);
    offsets.push(itemOffset);
    texts.push(item);
  }

  checkOverlaps(ranges, offsets, texts, target, fail);

  const exclusionsOnly = ranges.every((range) => range.exclude === true);
  if (all) {
    const covered: PortRange[] = exclusionsOnly
      ? []
      : allPorts({ target }).map((
        [start, end],
      ) => ({ start, end }));
    return {
      mode: "all",
      forward: forwardOf([...covered, ...ranges], address, dev),
    };
  }
  return { mode: "ports", forward: forwardOf(ranges, address, dev) };
}

function parseListenAddress(
  text: string,
  hasDev: boolean,
  target: "2023" | "2026",
  fail: (offset: number, item: string, reason: string) => never,
): string | undefined {
  if (target === "2026") {
    if (text === "" || text === "*") return undefined;
  } else {
    if (text === "" && hasDev) {
      fail(
        0,
        text,
        "an interface without an address ('%IF/') is not accepted by passt 2023",
      );
    }
    if (text === "*") {
      fail(
        0,
        text,
        "the '*' address is not accepted by passt 2023; leave the address out",
      );
    }
    if (text.startsWith("[")) {
      fail(
        0,
        text,
        `the bracketed address '${text}' is not accepted by passt 2023; write it without brackets`,
      );
    }
  }
  let bare = text;
  if (text.startsWith("[") && text.endsWith("]")) bare = text.slice(1, -1);
  if (parseIPv4(bare)) return bare;
  const v6 = parseIPv6(bare);
  if (!v6) {
    fail(0, text, `'${text}' is not an IPv4 or IPv6 address`);
  }
  const mapped = mappedIPv4(v6 as number[]);
  if (mapped) {
    if (target === "2023") {
      fail(
        0,
        text,
        `the IPv4-mapped address '${text}' cannot be bound by passt 2023; write ${mapped}`,
      );
    }
    return mapped;
  }
  return bare;
}

function parseItem(
  item: string,
  offset: number,
  target: "2023" | "2026",
  fail: (offset: number, item: string, reason: string) => never,
): PortRange {
  const exclude = item.startsWith("~");
  const cursor: Cursor = { text: item, pos: exclude ? 1 : 0 };
  const host = readRange(cursor);
  if (!host) {
    fail(offset, item, `'${item}' is not a port or port range`);
  }
  const from = host as NumberRange;
  checkNumbers(from, item, offset, fail);
  let mapped: NumberRange | undefined;
  if (!exclude && item[cursor.pos] === ":") {
    const after = item.slice(cursor.pos + 1);
    if (after.includes("/") || /^[^0-9+ \t\n\v\f\r]/.test(after)) {
      if (target === "2026" && after !== "") {
        fail(
          offset,
          item,
          `'${item}' forwards to a guest address, which a <portForward> range cannot express`,
        );
      }
    }
    cursor.pos++;
    mapped = readRange(cursor);
    if (!mapped) fail(offset, item, `'${item}' has no port after ':'`);
    checkNumbers(mapped as NumberRange, item, offset, fail);
  }
  if (cursor.pos !== item.length) {
    fail(
      offset,
      item,
      `unexpected '${item.slice(cursor.pos)}' in '${item}'`,
    );
  }
  const length = (from.last ?? from.first) - from.first;
  if (mapped) {
    const mappedLength = (mapped.last ?? mapped.first) - mapped.first;
    if (mappedLength !== length) {
      fail(
        offset,
        item,
        `'${item}' maps ${length + 1} port${length === 0 ? "" : "s"} onto ${
          mappedLength + 1
        }`,
      );
    }
  }
  if (target === "2026") {
    if (from.first === 0) {
      fail(
        offset,
        item,
        `'${item}' forwards from port 0, which passt 2026 rejects`,
      );
    }
    if (mapped && mapped.first === 0) {
      fail(
        offset,
        item,
        `'${item}' forwards to port 0, which passt 2026 rejects`,
      );
    }
  }
  return {
    start: from.first,
    ...(from.last !== undefined ? { end: from.last } : {}),
    ...(mapped ? { to: mapped.first } : {}),
    ...(exclude ? { exclude: true } : {}),
  };
}

function checkNumbers(
  range: NumberRange,
  item: string,
  offset: number,
  fail: (offset: number, item: string, reason: string) => never,
): void {
  for (const value of [range.first, range.last]) {
    if (value !== undefined && value > MAX_PORT) {
      fail(offset, item, `port ${value} in '${item}' is above ${MAX_PORT}`);
    }
  }
  if (range.last !== undefined && range.last < range.first) {
    fail(
      offset,
      item,
      `range '${item.replace(/^~/, "").split(":")[0]}' ends before it starts`,
    );
  }
}

function checkOverlaps(
  ranges: readonly PortRange[],
  offsets: readonly number[],
  texts: readonly string[],
  target: "2023" | "2026",
  fail: (offset: number, item: string, reason: string) => never,
): void {
  const exclusions: Piece[] = [];
  const includes: Piece[] = [];
  ranges.forEach((range, index) => {
    const start = range.start as number;
    const piece = { start, end: range.end ?? start, delta: 0, range: index };
    (range.exclude ? exclusions : includes).push(piece);
  });
  // passt: 2023 rejects overlapping exclusions, 2026 accepts them.
  if (target === "2023") {
    const overlap = findOverlaps(exclusions)[0];
    if (overlap) {
      const item = texts[overlap.later] as string;
      fail(
        offsets[overlap.later] as number,
        item,
        `exclusion '${item}' overlaps exclusion '${
          texts[overlap.earlier]
        }' (passt 2023 rejects overlapping exclusions)`,
      );
    }
  }
  const holes = mergeIntervals(exclusions.map((p) => [p.start, p.end]));
  const pieces = subtractIntervals(includes, holes);
  const overlap = findOverlaps(pieces)[0];
  if (overlap) {
    const item = texts[overlap.later] as string;
    fail(
      offsets[overlap.later] as number,
      item,
      `'${item}' forwards ${portsText(overlap.start, overlap.end)} that '${
        texts[overlap.earlier]
      }' already forwards`,
    );
  }
}
