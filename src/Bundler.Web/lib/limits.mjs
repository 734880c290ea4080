/** The reader's limits, the defaults of Bundler.Loader's BundleLimits (FORMAT.md §10.1). */
export const defaultLimits = Object.freeze({
  maxTotalSize: 32 * 1024 ** 3,
  maxFileSize: 4 * 1024 ** 3,
  maxFileCount: 1_000_000,
  maxPathLength: 1024,
});

export const format = Object.freeze({
  skippableMagic: 0x184d2a5b,
  version: 1,
  maxUserData: 64 * 1024 * 1024,
  maxJson: 256 * 1024 * 1024,
  minFrameContent: 65536,
  maxFrameContent: 16777216,
  block: 512,
  trailer: 1024,
});
