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

/**
 * What to throw for `error`, raised by a request or while a body was read: an abort or a refusal as it is; any other
 * failure, which is the network's, as a transient BundleError saying `failed` (what failed, naming the URL) and why.
 */
export function networkFailure(error, failed) {
  return error?.name === 'AbortError' || error instanceof BundleError
    ? error
    : new BundleError(`${failed}: ${error.message}.`, { transient: true });
}
