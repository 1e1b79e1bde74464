/**
 * Plain English for a `<portForward>`.
 *
 * @module
 */

import type { PortForward, PortRange } from "./types.ts";
import { allPorts, type PasstTargetOptions } from "./target.ts";
import { portText, validRange } from "./_range.ts";
import { checkForwards } from "./check.ts";
import { isExclusionOnly } from "./effective_map.ts";

function whereText(forward: PortForward): string {
  return (forward.address ? ` on ${forward.address}` : "") +
    (forward.dev ? ` via ${forward.dev}` : "");
}

function coverage(options?: PasstTargetOptions): string {
  const target = options?.target ?? "2023";
  const ports = allPorts(options).map(([s, e]) => portText(s, e)).join(" and ");
  return `passt ${target} covers ports ${ports}`;
}

/**
 * Explains a forward in plain English, one sentence per rule.
 *
 * Each included range gets a sentence naming its host ports, the exclusions
 * that cut into it, where it listens and the guest ports it reaches. A
 * forward without ranges, or with only exclusions, gets one sentence about
 * all ports, saying which ports the target passt covers. Ranges with a
 * problem get a sentence saying they are ignored and why, except port 0,
 * whose sentence says what the target passt does with it; exclusions that
 * touch no included range get one saying they change nothing.
 *
 * @param forward The `<portForward>`.
 * @param options Which passt's notion of "all ports" to describe.
 * @returns The sentences, without trailing full stops.
 * @example The seed
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainForward } from "@passtkit/ports";
 *
 * assert.deepEqual(
 *   explainForward({
 *     proto: "tcp",
 *     address: "10.0.0.1",
 *     dev: "eth0",
 *     ranges: [
 *       { start: 2022, to: 22 },
 *       { start: 5000, end: 5099, to: 1000 },
 *       { start: 5010, end: 5029, exclude: true },
 *     ],
 *   }),
 *   [
 *     "incoming tcp port 2022 on 10.0.0.1 via eth0 is forwarded to port 22 on the guest",
 *     "incoming tcp ports 5000-5099 (except 5010-5029) on 10.0.0.1 via eth0 are forwarded to guest ports 1000-1099",
 *   ],
 * );
 * assert.deepEqual(
 *   explainForward({ proto: "udp", ranges: [{ start: 10101 }] }),
 *   ["incoming udp port 10101 is forwarded to the same port on the guest"],
 * );
 * ```
 */
export function explainForward(
  forward: PortForward,
  options?: PasstTargetOptions,
): string[] {
  const proto = forward.proto;
  const where = whereText(forward);
  const problems = checkForwards([forward], options);
  const sentences: string[] = [];
  const exclusions: { range: PortRange; start: number; end: number }[] = [];
  for (const range of forward.ranges) {
    const valid = validRange(range);
    if (valid?.exclude) {
      exclusions.push({ range, start: valid.start, end: valid.end });
    }
  }
  const exceptText = (list: readonly { start: number; end: number }[]) =>
    list.length === 0
      ? ""
      : ` (except ${list.map((x) => portText(x.start, x.end)).join(", ")})`;

  if (forward.ranges.length === 0) {
    sentences.push(
      `all incoming ${proto} ports${where} are forwarded to the same ports on the guest (${
        coverage(options)
      })`,
    );
  } else if (isExclusionOnly(forward)) {
    sentences.push(
      `all incoming ${proto} ports${
        exceptText(exclusions)
      }${where} are forwarded to the same ports on the guest (${
        coverage(options)
      })`,
    );
  }

  const touched = new Set<PortRange>();
  forward.ranges.forEach((range, index) => {
    const issue = problems.find((p) =>
      p.range === index && p.code !== "overlap" &&
      p.code !== "overlap-across-forwards"
    );
    if (
      issue?.code === "port-zero" && issue.attribute !== "end" &&
      range[issue.attribute as "start" | "to"] === 0
    ) {
      // Port 0 is not ignored: the message says what the target passt does.
      sentences.push(issue.message);
      return;
    }
    if (issue) {
      sentences.push(
        `the ${proto} range ${formatWritten(range)} is ignored because ${
          lowerFirst(issue.message)
        }`,
      );
      return;
    }
    const valid = validRange(range);
    if (!valid || valid.exclude) return;
    const cutting = exclusions.filter((x) =>
      x.start <= valid.end && x.end >= valid.start
    );
    for (const x of cutting) touched.add(x.range);
    const host = portText(valid.start, valid.end);
    const single = valid.start === valid.end;
    if (fullyExcluded(valid.start, valid.end, cutting)) {
      sentences.push(
        `incoming ${proto} ${single ? "port" : "ports"} ${host}${where} ${
          single ? "is" : "are"
        } not forwarded, because exclusions cover ${
          single ? "it" : "them all"
        }`,
      );
      return;
    }
    const guest = portText(valid.start + valid.delta, valid.end + valid.delta);
    sentences.push(
      single
        ? `incoming ${proto} port ${host}${where} is forwarded to ${
          valid.delta === 0 ? "the same port" : `port ${guest}`
        } on the guest`
        : `incoming ${proto} ports ${host}${
          exceptText(cutting)
        }${where} are forwarded to ${
          valid.delta === 0
            ? "the same ports on the guest"
            : `guest ports ${guest}`
        }`,
    );
  });
  if (!isExclusionOnly(forward)) {
    for (const x of exclusions) {
      if (touched.has(x.range)) continue;
      sentences.push(
        `the exclusion of ${proto} ${x.start === x.end ? "port" : "ports"} ${
          portText(x.start, x.end)
        } changes nothing, because no range of this <portForward> includes ${
          x.start === x.end ? "it" : "them"
        }`,
      );
    }
  }
  return sentences;
}

function fullyExcluded(
  start: number,
  end: number,
  cutting: readonly { start: number; end: number }[],
): boolean {
  const sorted = [...cutting].sort((a, b) => a.start - b.start);
  let next = start;
  for (const x of sorted) {
    if (x.start > next) return false;
    next = Math.max(next, x.end + 1);
    if (next > end) return true;
  }
  return next > end;
}

function formatWritten(range: PortRange): string {
  const start = range.start ?? "(no start)";
  return range.end === undefined ? `${start}` : `${start}-${range.end}`;
}

function lowerFirst(text: string): string {
  return text.startsWith("The ") ? "the " + text.slice(4) : text;
}
