import assert from "node:assert/strict";
import { explainForward, type PortForward } from "./mod.ts";

const CASES: [string, PortForward, "2023" | "2026", string[]][] = [
  [
    "seed tcp",
    {
      proto: "tcp",
      address: "10.0.0.1",
      dev: "eth0",
      ranges: [
        { start: 2022, to: 22 },
        { start: 5000, end: 5099, to: 1000 },
        { start: 5010, end: 5029, exclude: true },
      ],
    },
    "2023",
    [
      "incoming tcp port 2022 on 10.0.0.1 via eth0 is forwarded to port 22 on the guest",
      "incoming tcp ports 5000-5099 (except 5010-5029) on 10.0.0.1 via eth0 are forwarded to guest ports 1000-1099",
    ],
  ],
  ["seed udp", { proto: "udp", ranges: [{ start: 10101 }] }, "2023", [
    "incoming udp port 10101 is forwarded to the same port on the guest",
  ]],
  [
    "range to the same ports",
    { proto: "tcp", ranges: [{ start: 80, end: 81, to: 80 }] },
    "2023",
    [
      "incoming tcp ports 80-81 are forwarded to the same ports on the guest",
    ],
  ],
  ["no ranges, 2023", { proto: "tcp", address: "::1", ranges: [] }, "2023", [
    "all incoming tcp ports on ::1 are forwarded to the same ports on the guest (passt 2023 covers ports 1-49151)",
  ]],
  ["no ranges, 2026", { proto: "udp", ranges: [] }, "2026", [
    "all incoming udp ports are forwarded to the same ports on the guest (passt 2026 covers ports 1-32767 and 61000-65535)",
  ]],
  [
    "only exclusions",
    { proto: "tcp", ranges: [{ start: 1, end: 1000, exclude: true }] },
    "2023",
    [
      "all incoming tcp ports (except 1-1000) are forwarded to the same ports on the guest (passt 2023 covers ports 1-49151)",
    ],
  ],
  [
    "invalid and useless ranges",
    {
      proto: "tcp",
      ranges: [{ start: 70000 }, { start: 100, end: 110 }, {
        start: 100,
        end: 110,
        exclude: true,
      }, {
        start: 9,
        exclude: true,
      }],
    },
    "2023",
    [
      "the tcp range 70000 is ignored because tcp start port 70000 is above 65535, the highest port",
      "incoming tcp ports 100-110 are not forwarded, because exclusions cover them all",
      "the exclusion of tcp port 9 changes nothing, because no range of this <portForward> includes it",
    ],
  ],
  ["port 0 (2023)", { proto: "tcp", ranges: [{ start: 0 }] }, "2023", [
    "tcp port 0 makes passt 2023 bind a random port",
  ]],
  [
    "map to port 0 (2023)",
    { proto: "tcp", ranges: [{ start: 40022, to: 0 }] },
    "2023",
    [
      "tcp to port 0 is accepted by passt 2023, but no guest service can listen on port 0",
    ],
  ],
  ["port 0 (2026)", { proto: "udp", ranges: [{ start: 0 }] }, "2026", [
    'udp start port 0 is refused by passt 2026 ("Forwarding rule attempts to map from port 0")',
  ]],
];

for (const [name, forward, target, expected] of CASES) {
  Deno.test(`explainForward() explains: ${name}`, () => {
    assert.deepEqual(explainForward(forward, { target }), expected);
  });
}
