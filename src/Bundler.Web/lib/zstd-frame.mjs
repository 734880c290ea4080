import { decompress } from 'fzstd';
import { BundleError } from './bundle-error.mjs';

// Browsers offer no zstd in DecompressionStream yet (Chromium 156 refuses the format), so frames are decoded by fzstd.

const magic = [0x28, 0xb5, 0x2f, 0xfd];

/** The Frame_Content_Size a zstd frame header declares (RFC 8878 §3.1.1.1), or null when it declares none. */
export function declaredContentSize(bytes) {
  if (bytes.length < 6 || magic.some((b, i) => bytes[i] !== b)) {
    return undefined;
  }

  const descriptor = bytes[4];
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
  const sizeBytes = sizeFlag === 0 ? singleSegment : 1 << sizeFlag;
  if (sizeBytes === 0) {
    return null;
  }

  const at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
  if (bytes.length < at + sizeBytes) {
    return undefined;
  }

  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) {
    size = size * 256 + bytes[at + i];
  }

  return sizeBytes === 2 ? size + 256 : size;
}

/**
 * Decodes one payload frame to exactly `tarSize` bytes. The size it declares is checked first, so a frame cannot make
 * the decoder allocate more than the manifest allows.
 */
export function decodeFrame(bytes, index, tarSize) {
  const declared = declaredContentSize(bytes);
  if (declared === undefined) {
    throw new BundleError(`The bundle's frame ${index} is not a zstd frame.`);
  }

  if (declared === null) {
    throw new BundleError(`The bundle's frame ${index} declares no content bytes; the manifest says ${tarSize}.`);
  }

  if (declared !== tarSize) {
    throw new BundleError(`The bundle's frame ${index} declares ${declared} content bytes; the manifest says ${tarSize}.`);
  }

  let content;
  try {
    content = decompress(bytes);
  } catch (error) {
    throw new BundleError(`The bundle's frame ${index} is corrupt: zstd could not decode it (${error.message}).`);
  }

  if (content.length !== tarSize) {
    throw new BundleError(`The bundle's frame ${index} decodes to ${content.length} bytes; the manifest says ${tarSize}.`);
  }

  return content;
}
