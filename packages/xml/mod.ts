/**
 * @passtkit/xml.
 *
 * @module
 */
export {};
