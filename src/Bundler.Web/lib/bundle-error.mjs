/**
 * A bundle, manifest or archive that is refused: the message names the URL, package or file and what is wrong.
 * `transient` is true for what another attempt may not meet (the network failed, the server answered 5xx).
 */
export class BundleError extends Error {
  constructor(message, { transient = false } = {}) {
    super(message);
    this.name = 'BundleError';
    this.transient = transient;
  }
}
