import { Decompress } from 'fzstd';
import { BundleError } from './bundle-error.mjs';

// Browsers offer no zstd in DecompressionStream yet (Chromium 156 refuses the format), so frames are decoded by fzstd.

const magic = [0x28, 0xb5, 0x2f, 0xfd];

/** Payload frames hold at most 16 MiB (FORMAT.md §4.1); a larger window than that or the content only makes the decoder allocate. */
const maxWindow = 16 * 1024 * 1024;

/**
 * What a zstd frame header declares (RFC 8878 §3.1.1.1): its Frame_Content_Size (null when absent) and the window
 * the decoder must allocate; undefined when the bytes are not a zstd frame header.
 */
export function frameHeader(bytes) {
  if (bytes.length < 6 || magic.some((b, i) => bytes[i] !== b)) {
    return undefined;
  }

  const descriptor = bytes[4];
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
  const sizeBytes = sizeFlag === 0 ? singleSegment : 1 << sizeFlag;
  const at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
  if (bytes.length < at + sizeBytes) {
    return undefined;
  }

  let contentSize = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) {
    contentSize = contentSize * 256 + bytes[at + i];
  }

  contentSize = sizeBytes === 0 ? null : sizeBytes === 2 ? contentSize + 256 : contentSize;
  let windowSize = contentSize ?? 0;
  if (!singleSegment) {
    const base = 2 ** (10 + (bytes[5] >> 3));
    windowSize = base + (base / 8) * (bytes[5] & 7);
  }

  return { contentSize, windowSize };
}

/**
 * Decodes one payload frame to exactly `tarSize` bytes. What it declares is checked first and what it yields is
 * counted as it is decoded, so a frame cannot make the loader hold more than the manifest allows.
 */
export function decodeFrame(bytes, index, tarSize) {
  const header = frameHeader(bytes);
  if (header === undefined) {
    throw new BundleError(`The bundle's frame ${index} is not a zstd frame.`);
  }

  if (header.contentSize === null) {
    throw new BundleError(`The bundle's frame ${index} declares no content bytes; the manifest says ${tarSize}.`);
  }

  if (header.contentSize !== tarSize) {
    throw new BundleError(`The bundle's frame ${index} declares ${header.contentSize} content bytes; the manifest says ${tarSize}.`);
  }

  if (header.windowSize > Math.max(maxWindow, tarSize)) {
    throw new BundleError(`The bundle's frame ${index} asks for a ${header.windowSize}-byte window for ${tarSize} bytes of content.`);
  }

  const content = new Uint8Array(tarSize);
  let filled = 0;
  const decoder = new Decompress(chunk => {
    if (filled + chunk.length > tarSize) {
      throw new BundleError(`The bundle's frame ${index} holds more than the ${tarSize} content bytes it declares.`);
    }

    content.set(chunk, filled);
    filled += chunk.length;
  });
  try {
    decoder.push(bytes, true);
  } catch (error) {
    if (error instanceof BundleError) {
      throw error;
    }

    throw new BundleError(`The bundle's frame ${index} is corrupt: zstd could not decode it (${error.message}).`);
  }

  if (filled !== tarSize) {
    throw new BundleError(`The bundle's frame ${index} decodes to ${filled} bytes; the manifest says ${tarSize}.`);
  }

  return content;
}
