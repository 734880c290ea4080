/** A bundle, manifest or archive that is refused: the message names the URL, package or file and what is wrong. */
export class BundleError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BundleError';
  }
}
