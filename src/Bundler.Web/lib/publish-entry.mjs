// The entry point of a publish location (FORMAT.md §12): index.json names the current bundle and manifest, immutable
// objects under names of their digests; a folder without it (written before it existed) holds the legacy names.

import { BundleError } from './bundle-error.mjs';
import { pathProblem } from './entry-path.mjs';

const indexName = 'index.json';
const maxIndexSize = 64 * 1024;
const legacy = { bundle: 'packages.tar.zst', manifest: 'manifest.json' };

/** The URL of the object `name` ('/'-separated segments) under `folder`. */
function objectUrl(name, folder) {
  return new URL(name.split('/').map(encodeURIComponent).join('/'), folder);
}

function hexOf(base64) {
  return Array.from(atob(base64), c => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

function parseIndex(bytes, url) {
  if (bytes.length > maxIndexSize) {
    throw new BundleError(`${url} is larger than ${maxIndexSize} bytes: it is not a publish index.`);
  }

  let index;
  try {
    index = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new BundleError(`${url} is not a publish index: ${error.message}.`);
  }

  if (index?.formatVersion !== 1) {
    throw new BundleError(`${url} has formatVersion ${index?.formatVersion}; this loader reads version 1. Update bundler.mjs.`);
  }

  for (const member of ['bundle', 'manifest']) {
    const problem = typeof index[member] === 'string' ? pathProblem(index[member]) : `it has no '${member}'`;
    if (problem) {
      throw new BundleError(`${url} is not a valid publish index: its '${member}' is not a relative name inside the publish location (${problem}).`);
    }
  }

  return index;
}

/**
 * Reads the entry point of the publish location `folder` (a URL ending in '/') with `get`: resolves to the bundle's
 * and the manifest's URLs and a function giving a package's archive URL from its name and parsed integrity.
 */
export async function readEntry(folder, get, signal) {
  const url = new URL(indexName, folder);
  const response = await get(url, signal, { allowMissing: true });
  if (response === null) {
    return {
      bundleUrl: new URL(legacy.bundle, folder),
      manifestUrl: new URL(legacy.manifest, folder),
      archiveUrl: (name) => new URL('files/' + encodeURIComponent(name), folder),
    };
  }

  const index = parseIndex(new Uint8Array(await response.arrayBuffer()), url);
  return {
    bundleUrl: objectUrl(index.bundle, folder),
    manifestUrl: objectUrl(index.manifest, folder),
    archiveUrl: (name, integrity) => objectUrl(`files/${integrity.prefix}-${hexOf(integrity.base64)}/${name}`, folder),
  };
}
