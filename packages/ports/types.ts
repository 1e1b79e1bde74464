/**
 * Plain data types shared by the port-range functions.
 *
 * @module
 */

/** A transport protocol that passt forwards. */
export type Protocol = "tcp" | "udp";

/**
 * One `<range>` of a `<portForward>`, exactly as the XML has it.
 *
 * `start` is optional because libvirt's parser accepts a `<range>` without
 * it; such a range is reported as a problem and never rendered.
 */
export interface PortRange {
  /** First host port. */
  readonly start?: number;
  /** Last host port (inclusive); a single port when absent. */
  readonly end?: number;
  /** Guest port that `start` reaches; the range keeps its offsets. */
  readonly to?: number;
  /** `true` for `exclude='yes'`, `false` for `exclude='no'`. */
  readonly exclude?: boolean;
}

/** One `<portForward>`: a protocol, an optional listen address and device, and its ranges. */
export interface PortForward {
  /** The protocol forwarded. */
  readonly proto: Protocol;
  /** Host address to listen on; any address when absent. */
  readonly address?: string;
  /** Host interface to bind to (`SO_BINDTODEVICE`). */
  readonly dev?: string;
  /** The ranges; none means every port. */
  readonly ranges: readonly PortRange[];
}

/** One interval of an effective map: host ports `hostStart..hostEnd` reach guest ports `guestStart..guestEnd`. */
export interface MapInterval {
  /** First host port. */
  readonly hostStart: number;
  /** Last host port (inclusive). */
  readonly hostEnd: number;
  /** Guest port that `hostStart` reaches. */
  readonly guestStart: number;
  /** Guest port that `hostEnd` reaches. */
  readonly guestEnd: number;
}
