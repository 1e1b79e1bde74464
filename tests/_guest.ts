/**
 * A tiny "guest" for end-to-end tests: it speaks passt's qemu socket
 * protocol (a 4-byte big-endian length, then a raw Ethernet frame), sends a DHCP DISCOVER and reads what passt sends.
 *
 * @module
 */

/** The guest's MAC address. */
export const GUEST_MAC = "52:54:00:12:34:56";

function macBytes(mac: string): number[] {
  return mac.split(":").map((x) => parseInt(x, 16));
}

function ipString(bytes: Uint8Array): string {
  return [...bytes].join(".");
}

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += (bytes[i]! << 8) + (bytes[i + 1] ?? 0);
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/** Builds a DHCP DISCOVER from `mac` with transaction id `xid`, as an Ethernet frame. */
export function dhcpDiscover(xid: number, mac: string = GUEST_MAC): Uint8Array {
  const bootp = new Uint8Array(240);
  const view = new DataView(bootp.buffer);
  bootp.set([1, 1, 6, 0]); // BOOTREQUEST, Ethernet, 6-byte addresses, 0 hops
  view.setUint32(4, xid);
  view.setUint16(10, 0x8000); // broadcast flag
  bootp.set(macBytes(mac), 28); // chaddr
  bootp.set([0x63, 0x82, 0x53, 0x63], 236); // magic cookie
  const options = [53, 1, 1, 55, 4, 1, 3, 6, 26, 255]; // DISCOVER; ask for mask, router, DNS, MTU
  const dhcp = new Uint8Array([...bootp, ...options]);
  const udp = new Uint8Array(8 + dhcp.length);
  const u = new DataView(udp.buffer);
  u.setUint16(0, 68);
  u.setUint16(2, 67);
  u.setUint16(4, udp.length);
  u.setUint16(6, 0); // no UDP checksum (allowed for IPv4)
  udp.set(dhcp, 8);
  const ip = new Uint8Array(20 + udp.length);
  const v = new DataView(ip.buffer);
  ip.set([0x45, 0]);
  v.setUint16(2, ip.length);
  ip[8] = 64; // TTL
  ip[9] = 17; // UDP
  ip.set([0, 0, 0, 0], 12);
  ip.set([255, 255, 255, 255], 16);
  v.setUint16(10, checksum(ip.subarray(0, 20)));
  ip.set(udp, 20);
  return new Uint8Array([
    ...macBytes("ff:ff:ff:ff:ff:ff"),
    ...macBytes(mac),
    0x08,
    0x00,
    ...ip,
  ]);
}

/** The IPv4 packet in an Ethernet frame. */
interface Ipv4 {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  readonly payload: Uint8Array;
}

function parseIpv4(frame: Uint8Array): Ipv4 | undefined {
  if (frame.length < 34 || frame[12] !== 0x08 || frame[13] !== 0x00) {
    return undefined;
  }
  const ip = frame.subarray(14);
  const headerLength = (ip[0]! & 0x0f) * 4;
  const total = (ip[2]! << 8) | ip[3]!;
  return {
    src: ipString(ip.subarray(12, 16)),
    dst: ipString(ip.subarray(16, 20)),
    protocol: ip[9]!,
    payload: ip.subarray(headerLength, total),
  };
}

/** A DHCP reply (OFFER, ACK, …). */
export interface DhcpReply {
  /** DHCP message type: 2 OFFER, 5 ACK, 6 NAK. */
  readonly messageType: number | undefined;
  /** Transaction id. */
  readonly xid: number;
  /** The address offered to the guest. */
  readonly yiaddr: string;
}

/** Parses a frame as a DHCP reply (UDP 67 → 68), or `undefined`. */
export function parseDhcpReply(frame: Uint8Array): DhcpReply | undefined {
  const ip = parseIpv4(frame);
  if (ip === undefined || ip.protocol !== 17) return undefined;
  const u = new DataView(
    ip.payload.buffer,
    ip.payload.byteOffset,
    ip.payload.byteLength,
  );
  if (u.getUint16(0) !== 67 || u.getUint16(2) !== 68) return undefined;
  const dhcp = ip.payload.subarray(8);
  const d = new DataView(dhcp.buffer, dhcp.byteOffset, dhcp.byteLength);
  let messageType: number | undefined;
  for (let i = 240; i < dhcp.length;) {
    const code = dhcp[i]!;
    if (code === 255) break;
    if (code === 0) {
      i++;
      continue;
    }
    const length = dhcp[i + 1]!;
    if (code === 53) messageType = dhcp[i + 2];
    i += 2 + length;
  }
  return {
    messageType,
    xid: d.getUint32(4),
    yiaddr: ipString(dhcp.subarray(16, 20)),
  };
}

/** A TCP segment's addressing and flags. */
export interface TcpSegment {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  /** True for SYN without ACK. */
  readonly syn: boolean;
}

/** Parses a frame as a TCP segment, or `undefined`. */
export function parseTcp(frame: Uint8Array): TcpSegment | undefined {
  const ip = parseIpv4(frame);
  if (ip === undefined || ip.protocol !== 6 || ip.payload.length < 20) {
    return undefined;
  }
  const t = ip.payload;
  const flags = t[13]!;
  return {
    src: ip.src,
    dst: ip.dst,
    sport: (t[0]! << 8) | t[1]!,
    dport: (t[2]! << 8) | t[3]!,
    syn: (flags & 0x02) !== 0 && (flags & 0x10) === 0,
  };
}

/** A UDP datagram's addressing and payload. */
export interface UdpDatagram {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly payload: Uint8Array;
}

/** Parses a frame as a UDP datagram, or `undefined`. */
export function parseUdp(frame: Uint8Array): UdpDatagram | undefined {
  const ip = parseIpv4(frame);
  if (ip === undefined || ip.protocol !== 17 || ip.payload.length < 8) {
    return undefined;
  }
  const u = ip.payload;
  const length = (u[4]! << 8) | u[5]!;
  return {
    src: ip.src,
    dst: ip.dst,
    sport: (u[0]! << 8) | u[1]!,
    dport: (u[2]! << 8) | u[3]!,
    payload: u.subarray(8, Math.min(length, u.length)),
  };
}

/** A guest connected to passt's socket. Closing it ends its read loop. */
export class Guest implements AsyncDisposable {
  readonly #conn: Deno.UnixConn;
  readonly #frames: Uint8Array[] = [];
  #wake: () => void = () => {};
  #ended = false;
  readonly #loop: Promise<void>;

  private constructor(conn: Deno.UnixConn) {
    this.#conn = conn;
    this.#loop = this.#read();
  }

  /** Connects to passt's socket. */
  static async connect(path: string): Promise<Guest> {
    return new Guest(await Deno.connect({ transport: "unix", path }));
  }

  async #read(): Promise<void> {
    let pending = new Uint8Array(0);
    const chunk = new Uint8Array(65536 + 4);
    try {
      while (true) {
        const n = await this.#conn.read(chunk);
        if (n === null) break;
        const joined = new Uint8Array(pending.length + n);
        joined.set(pending);
        joined.set(chunk.subarray(0, n), pending.length);
        pending = joined;
        while (pending.length >= 4) {
          const length = new DataView(pending.buffer, pending.byteOffset)
            .getUint32(0);
          if (pending.length < 4 + length) break;
          this.#frames.push(pending.slice(4, 4 + length));
          pending = pending.slice(4 + length);
        }
        this.#wake();
      }
    } catch {
      // closed
    }
    this.#ended = true;
    this.#wake();
  }

  /** Sends one Ethernet frame, length-prefixed. */
  async send(frame: Uint8Array): Promise<void> {
    const message = new Uint8Array(4 + frame.length);
    new DataView(message.buffer).setUint32(0, frame.length);
    message.set(frame, 4);
    for (let sent = 0; sent < message.length;) {
      sent += await this.#conn.write(message.subarray(sent));
    }
  }

  /**
   * Returns the first frame (from now, skipping others) for which `match`
   * returns a value; throws after `timeoutMs` or when passt closes.
   */
  async next<T>(
    match: (frame: Uint8Array) => T | undefined,
    what: string,
    timeoutMs = 5000,
  ): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve();
      }, timeoutMs);
    });
    try {
      while (true) {
        while (this.#frames.length > 0) {
          const result = match(this.#frames.shift()!);
          if (result !== undefined) return result;
        }
        if (this.#ended) {
          throw new Error(`passt closed the socket before ${what}`);
        }
        if (timedOut) throw new Error(`no ${what} within ${timeoutMs} ms`);
        await Promise.race([
          new Promise<void>((resolve) => this.#wake = resolve),
          deadline,
        ]);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the connection and waits for the read loop to end. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    await this.#loop;
  }
}
