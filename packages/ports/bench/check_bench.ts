/**
 * `deno bench`: checkForwards over the forwards of a whole domain, one group
 * (interface) per passt process. Cost should grow as n log n in the number of
 * forwards, not with the number of pairs of forwards.
 */
import { checkForwards, type PortForward } from "@passtkit/ports";

/**
 * `count` forwards as a domain with `count / 2` passt interfaces has them: per
 * interface a TCP forward with a mapped port, a mapped range and an exclusion,
 * and a UDP range. With `sharedPorts`, every interface listens on an address
 * of its own and all use the same ports; otherwise each has ports of its own.
 */
function domainForwards(count: number, sharedPorts: boolean): {
  forwards: PortForward[];
  groups: string[];
} {
  const forwards: PortForward[] = [];
  const groups: string[] = [];
  for (let i = 0; forwards.length < count; i++) {
    const tcp = sharedPorts ? 2_000 : 1_000 + i * 10;
    const udp = sharedPorts ? 2_000 : 1_000 + i * 4;
    const address = sharedPorts
      ? { address: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }
      : {};
    forwards.push({
      proto: "tcp",
      ...address,
      ranges: [
        { start: tcp, to: 22 },
        { start: tcp + 1, end: tcp + 8, to: 8001 },
        { start: tcp + 4, exclude: true },
      ],
    });
    forwards.push({
      proto: "udp",
      ...address,
      ranges: [{ start: udp, end: udp + 3 }],
    });
    groups.push(`ua-net${i}`, `ua-net${i}`);
  }
  return { forwards, groups };
}

for (const sharedPorts of [false, true]) {
  for (const count of [1_000, 10_000]) {
    const { forwards, groups } = domainForwards(count, sharedPorts);
    if (checkForwards(forwards, { groups }).length !== 0) {
      throw new Error(`the ${count} bench forwards have problems`);
    }
    Deno.bench({
      name: `checkForwards: ${count.toLocaleString("en")} forwards of ${
        (count / 2).toLocaleString("en")
      } interfaces, ${
        sharedPorts ? "same ports on own addresses" : "own ports"
      }`,
      group: sharedPorts ? "shared ports" : "own ports",
      baseline: count === 1_000,
      fn: () => {
        checkForwards(forwards, { groups });
      },
    });
  }
}
