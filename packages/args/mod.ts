/**
 * @passtkit/args.
 *
 * @module
 */
export {};
