/**
 * @passtkit/cli.
 *
 * @module
 */
export {};
