// Loads a Bundler publish folder in the browser (docs/browser.md): the bundle streamed, decoded and verified file by
// file, or the original archives fetched in parallel and verified against the manifest.

import { BundleError, networkFailure } from './lib/bundle-error.mjs';
import { ByteReader } from './lib/byte-reader.mjs';
import { checkPin, digestBase64, expectedIntegrity, parseIntegrity } from './lib/integrity.mjs';
import { defaultLimits } from './lib/limits.mjs';
import { pathProblem } from './lib/entry-path.mjs';
import { parseManifest } from './lib/manifest-validator.mjs';
import { readManifestFrame } from './lib/manifest-frame.mjs';
import { readEntry } from './lib/publish-entry.mjs';
import { walkTar } from './lib/tar-walker.mjs';
import { decodeFrame } from './lib/zstd-frame.mjs';

export { BundleError };

const archiveAttempts = 3;

/**
 * Loads the publish location at `folderUrl` (a URL ending in '/', whose index.json names what to fetch; or, in
 * bundle mode, a bundle's own URL).
 * Options: `mode` ('bundle' or 'files'), `expectedIntegrity` (the pin `pack` prints), `onFile` / `onArchive`
 * (called with each verified file or archive; by default they are collected in the returned `files` map),
 * `concurrency` (files mode, default 6), `limits`, `signal`.
 * Resolves to a report; rejects with a BundleError naming the URL and what is wrong.
 */
export function load(folderUrl, options = {}) {
  const mode = options.mode ?? 'bundle';
  if (mode === 'bundle') {
    return loadBundle(folderUrl, options);
  }

  if (mode === 'files') {
    return loadFiles(folderUrl, options);
  }

  throw new TypeError(`mode '${mode}' is not a load mode: give 'bundle' or 'files'.`);
}

function collector(files) {
  return item => {
    files.set(item.path, item.bytes);
  };
}

function settings(options) {
  return {
    pin: expectedIntegrity(options.expectedIntegrity),
    limits: { ...defaultLimits, ...options.limits },
    signal: options.signal,
  };
}

function folderOf(url) {
  const resolved = new URL(url, globalThis.location?.href);
  return resolved.pathname.endsWith('/') ? resolved : new URL(resolved.pathname + '/', resolved);
}

async function get(url, signal, { allowMissing = false } = {}) {
  let response;
  try {
    response = await fetch(url, { signal, cache: 'no-store' });
  } catch (error) {
    throw networkFailure(error, `GET ${url} failed`);
  }

  if (allowMissing && response.status === 404) {
    await response.body?.cancel();
    return null;
  }

  if (!response.ok) {
    await response.body?.cancel();
    throw new BundleError(`GET ${url} answered ${response.status} ${response.statusText}.`, { transient: response.status >= 500 || response.status === 429 });
  }

  return response;
}

/** Bundle mode: the entry point, then one GET of the bundle, the manifest read first, each frame decoded and each file verified as the bytes arrive. */
export async function loadBundle(url, options = {}) {
  const { pin, limits, signal } = settings(options);
  const files = new Map();
  const onFile = options.onFile ?? collector(files);
  const timings = { start: performance.now(), requests: 1 };
  const given = new URL(url, globalThis.location?.href);
  let bundleUrl = given;
  if (given.pathname.endsWith('/')) {
    bundleUrl = (await readEntry(given, get, signal)).bundleUrl;
    timings.requests++;
  }

  const response = await get(bundleUrl, signal);
  const network = new ByteReader(response.body, bundleUrl);
  try {
    const json = await readManifestFrame(network, bundleUrl);
    await checkPin(pin, json, bundleUrl);
    const manifest = parseManifest(json, limits);
    timings.manifest = performance.now();
    let next = 0;
    const tarStream = new ReadableStream({
      async pull(controller) {
        if (next === manifest.frames.length) {
          controller.close();
          return;
        }

        const frame = manifest.frames[next];
        const bytes = await network.readExactly(frame.size, `frame ${next}`);
        controller.enqueue(decodeFrame(bytes, next, frame.tarSize));
        next++;
      },
    }, { highWaterMark: 0 });
    const fileBytes = await walkTar(new ByteReader(tarStream, bundleUrl), manifest, onFile, timings);
    if (!(await network.atEnd())) {
      throw new BundleError(`The bundle ${bundleUrl} has data after its last frame.`);
    }

    return report('bundle', manifest, files, fileBytes, timings, network.position);
  } catch (error) {
    await network.cancel();
    throw error;
  }
}

/** Files mode: the entry point, the manifest JSON, then every original archive in parallel, each held to its size and integrity. */
export async function loadFiles(folderUrl, options = {}) {
  const { pin, limits, signal } = settings(options);
  const folder = folderOf(folderUrl);
  const files = new Map();
  const onArchive = options.onArchive ?? collector(files);
  const concurrency = options.concurrency ?? 6;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`concurrency ${concurrency} is not a positive whole number of requests.`);
  }

  const timings = { start: performance.now() };
  const entry = await readEntry(folder, get, signal);
  const manifestUrl = entry.manifestUrl;
  const json = new Uint8Array(await (await get(manifestUrl, signal)).arrayBuffer());
  await checkPin(pin, json, manifestUrl);
  const manifest = parseManifest(json, limits);
  timings.manifest = performance.now();
  const archives = manifest.packages.map(p => archiveOf(p, entry));
  timings.requests = 2 + archives.length;
  const abort = new AbortController();
  const stop = () => abort.abort();
  signal?.addEventListener('abort', stop);
  let next = 0;
  let transferred = json.length;
  let archiveBytes = 0;
  const worker = async () => {
    while (next < archives.length) {
      const archive = archives[next++];
      const bytes = await fetchArchive(archive, abort.signal);
      transferred += bytes.length;
      archiveBytes += bytes.length;
      timings.firstFile ??= performance.now();
      await onArchive({ path: archive.name, id: archive.id, version: archive.version, url: archive.url.href, bytes });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, archives.length) }, worker));
  } catch (error) {
    stop();
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }

  return report('files', manifest, files, archiveBytes, timings, transferred);
}

function archiveOf(p, entry) {
  const { name, size, integrity } = p.archive;
  const problem = name.includes('/') ? 'it is not one path segment' : pathProblem(name, 255);
  if (problem) {
    throw new BundleError(`The manifest's archive name '${name}' of ${p.id} ${p.version} is unsafe: ${problem}.`);
  }

  const parsed = parseIntegrity(integrity);
  if (!parsed || !Number.isSafeInteger(size) || size < 0) {
    throw new BundleError(`The manifest's archive '${name}' of ${p.id} ${p.version} has no usable size and integrity (sha256-, sha384- or sha512-).`);
  }

  return { id: p.id, version: p.version, name, size, integrity: parsed, url: entry.archiveUrl(name, parsed) };
}

/** An archive, fetched again when the network or the server fails (not when its bytes are wrong), up to `archiveAttempts` times. */
async function fetchArchive(archive, signal) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchArchiveOnce(archive, signal);
    } catch (error) {
      if (!error?.transient || attempt === archiveAttempts || signal?.aborted) {
        throw error;
      }
    }
  }
}

async function fetchArchiveOnce(archive, signal) {
  const response = await get(archive.url, signal);
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) !== archive.size) {
    await response.body?.cancel();
    throw new BundleError(`${archive.url} is ${declared} bytes; the manifest says ${archive.size}.`);
  }

  let bytes;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw networkFailure(error, `Reading ${archive.url} failed`);
  }

  if (bytes.length !== archive.size) {
    throw new BundleError(`${archive.url} is ${bytes.length} bytes; the manifest says ${archive.size}.`);
  }

  const actual = await digestBase64(archive.integrity.algorithm, bytes);
  if (actual !== archive.integrity.base64) {
    throw new BundleError(`${archive.url} does not match the manifest: its ${archive.integrity.prefix} is ${actual}, the manifest says ${archive.integrity.base64}. The file is corrupt or was tampered with.`);
  }

  return bytes;
}

function report(mode, manifest, files, fileBytes, timings, transferred) {
  const end = performance.now();
  return {
    mode,
    packages: manifest.packages.length,
    requests: timings.requests,
    files,
    fileBytes,
    transferredBytes: transferred,
    manifestMs: timings.manifest - timings.start,
    firstFileMs: (timings.firstFile ?? end) - timings.start,
    elapsedMs: end - timings.start,
  };
}
