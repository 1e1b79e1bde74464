/**
 * @passtkit/supervisor.
 *
 * @module
 */
export {};
