import { BundleError } from './bundle-error.mjs';
import { format } from './limits.mjs';
import { decodeFrame } from './zstd-frame.mjs';

/**
 * Reads the manifest frame at the head of a bundle (FORMAT.md §3.1, §8.1) and returns the manifest JSON bytes,
 * exactly as the writer serialized them: what the integrity pins.
 */
export async function readManifestFrame(reader, url) {
  const head = await reader.readExactly(20, 'the manifest frame header');
  const view = new DataView(head.buffer, head.byteOffset, 20);
  if (view.getUint32(0, true) !== format.skippableMagic || new TextDecoder().decode(head.subarray(8, 12)) !== 'BNDL') {
    throw new BundleError(`${url} is not a bundle: it does not start with a Bundler manifest frame (a plain .tar.zst has none).`);
  }

  const userData = view.getUint32(4, true);
  const version = view.getUint16(12, true);
  const flags = view.getUint16(14, true);
  const jsonLength = view.getUint32(16, true);
  if (version !== format.version || flags !== 0) {
    throw new BundleError(`${url} is bundle format version ${version} with flags ${flags}; this loader reads version ${format.version} with flags 0.`);
  }

  if (userData <= 12 || userData > format.maxUserData || jsonLength < 1 || jsonLength > format.maxJson) {
    throw new BundleError(`The manifest frame of ${url} declares ${userData} bytes of user data and ${jsonLength} bytes of JSON, outside the format's limits.`);
  }

  const frame = await reader.readExactly(userData - 12, 'the manifest frame');
  try {
    return decodeFrame(frame, 'manifest', jsonLength);
  } catch (error) {
    throw new BundleError(`The manifest frame of ${url} is invalid: ${error.message}`);
  }
}
