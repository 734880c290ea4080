import { BundleError } from './bundle-error.mjs';

const algorithms = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

/** Parses an SRI string `sha256-…`, `sha384-…` or `sha512-…` (FORMAT.md §13.1); null when it is not one. */
export function parseIntegrity(value) {
  const match = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(typeof value === 'string' ? value : '');
  return match ? { prefix: match[1], algorithm: algorithms[match[1]], base64: match[2] } : null;
}

export async function digestBase64(algorithm, bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest(algorithm, bytes));
  let text = '';
  for (const byte of digest) {
    text += String.fromCharCode(byte);
  }

  return btoa(text);
}

export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
}

/** The integrity option checked before use: a value that is not an SRI string is the caller's mistake, not the server's. */
export function expectedIntegrity(value) {
  if (value === undefined || value === null) {
    return null;
  }

  const parsed = parseIntegrity(value);
  if (!parsed) {
    throw new TypeError(`expectedIntegrity '${value}' is not an integrity: give sha256-, sha384- or sha512- and the Base64 digest, as pack prints it.`);
  }

  return parsed;
}

/** Refuses manifest JSON bytes whose digest is not the pinned one (FORMAT.md §13.1), naming the URL and both digests. */
export async function checkPin(pin, jsonBytes, url) {
  if (!pin) {
    return;
  }

  const actual = `${pin.prefix}-${await digestBase64(pin.algorithm, jsonBytes)}`;
  if (actual !== `${pin.prefix}-${pin.base64}`) {
    throw new BundleError(`The manifest of ${url} is ${actual}, not the pinned ${pin.prefix}-${pin.base64}: this is not the bundle the application was built with.`);
  }
}
