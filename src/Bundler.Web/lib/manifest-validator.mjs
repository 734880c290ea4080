import { BundleError } from './bundle-error.mjs';
import { pathProblem, PathCollisions } from './entry-path.mjs';
import { format } from './limits.mjs';

// FORMAT.md §8.2 and §8.3, the checks of Bundler.Loader's ManifestValidator, made before any payload byte is used.

const maxDepth = 16;
const int32 = v => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
const int64 = v => Number.isSafeInteger(v);
const generatedFiles = ['nupkg.sha512', 'nupkg.metadata'];

function fail(problem) {
  throw new BundleError(`The bundle's manifest is invalid: ${problem}.`);
}

/** Parses manifest JSON bytes strictly and checks every rule; returns the manifest. */
export function parseManifest(jsonBytes, limits) {
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes));
  } catch (error) {
    fail(`it is not UTF-8 JSON (${error.message})`);
  }

  if (depth(manifest) > maxDepth) {
    fail(`it nests deeper than ${maxDepth} levels`);
  }

  validate(manifest, limits);
  return manifest;
}

function depth(value) {
  if (value === null || typeof value !== 'object') {
    return 0;
  }

  let deepest = 0;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, depth(child));
  }

  return deepest + 1;
}

function number(value, check, what) {
  if (!check(value)) {
    fail(`${what} is missing or not a number of its type`);
  }

  return value;
}

function validate(m, limits) {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) {
    fail('it is not an object');
  }

  if (number(m.formatVersion, int32, 'formatVersion') !== format.version) {
    fail(`formatVersion is ${m.formatVersion}; expected ${format.version}`);
  }

  if (typeof m.tool !== 'string' || !m.options || typeof m.options !== 'object' || !Array.isArray(m.packages) || !Array.isArray(m.frames)) {
    fail('a required field (tool, options, packages or frames) is missing');
  }

  const maxFrameSize = number(m.options.maxFrameSize, int32, 'options.maxFrameSize');
  number(m.options.compressionLevel, int32, 'options.compressionLevel');
  if (maxFrameSize < format.minFrameContent || maxFrameSize > format.maxFrameContent) {
    fail(`options.maxFrameSize ${maxFrameSize} is outside ${format.minFrameContent}..${format.maxFrameContent}`);
  }

  validateFrames(m, maxFrameSize);
  validatePackages(m, limits);
}

function validateFrames(m, maxFrameSize) {
  const frames = m.frames;
  if (frames.length === 0) {
    fail('there are no frames (every bundle ends with the tar trailer frame)');
  }

  let offset = 0;
  let tarOffset = 0;
  frames.forEach((frame, i) => {
    if (frame === null || typeof frame !== 'object') {
      fail(`frame ${i} is null`);
    }

    for (const key of ['offset', 'size', 'tarOffset', 'tarSize']) {
      number(frame[key], int64, `frame ${i}'s ${key}`);
    }

    if (frame.offset !== offset || frame.tarOffset !== tarOffset) {
      fail(`frame ${i} is not contiguous with the one before it (offset ${frame.offset}, expected ${offset}; tarOffset ${frame.tarOffset}, expected ${tarOffset})`);
    }

    const maxTarSize = i === frames.length - 1 ? format.trailer : maxFrameSize;
    if (frame.tarSize <= 0 || frame.tarSize > maxTarSize || frame.tarSize % format.block !== 0) {
      fail(`frame ${i} has tarSize ${frame.tarSize}; it must be a positive multiple of 512 of at most ${maxTarSize} (options.maxFrameSize)`);
    }

    if (frame.size <= 0 || frame.size > frame.tarSize + Math.floor(frame.tarSize / 128) + 1024) {
      fail(`frame ${i} has size ${frame.size}, implausible for ${frame.tarSize} bytes of content`);
    }

    offset += frame.size;
    tarOffset += frame.tarSize;
  });

  if (offset !== number(m.payloadSize, int64, 'payloadSize') || tarOffset !== number(m.tarSize, int64, 'tarSize')) {
    fail(`the frames add up to ${offset} payload bytes and ${tarOffset} tar bytes, but the manifest says ${m.payloadSize} and ${m.tarSize}`);
  }

  if (frames[frames.length - 1].tarSize !== format.trailer) {
    fail(`the last frame must hold only the ${format.trailer}-byte tar trailer, but holds ${frames[frames.length - 1].tarSize} bytes`);
  }
}

function identityProblem(id, version) {
  const idSegments = id.split('/');
  if (pathProblem(id, 256) || !(idSegments.length === 1 || (idSegments.length === 2 && idSegments[0].startsWith('@')))) {
    return "an unsafe id; an id is one path segment, or '@scope/name'";
  }

  if (pathProblem(version, 128) || version.includes('/')) {
    return 'an unsafe version; a version is one path segment';
  }

  return null;
}

function validatePackages(m, limits) {
  const frames = m.frames;
  const folders = new PathCollisions();
  const totals = { size: 0, count: 0 };
  let nextFrame = 0;
  let previousFolder = null;
  m.packages.forEach((p, index) => {
    if (p === null || typeof p !== 'object') {
      fail(`package ${index} is null`);
    }

    if (typeof p.id !== 'string' || typeof p.version !== 'string' || !Array.isArray(p.files) || typeof p.source !== 'string'
      || !p.archive || typeof p.archive.name !== 'string' || typeof p.archive.integrity !== 'string') {
      fail(`package ${index} lacks its id, version, source, archive (name, integrity) or files`);
    }

    const name = `package ${index} (${p.id} ${p.version})`;
    const problem = identityProblem(p.id, p.version);
    if (problem) {
      fail(`${name} has ${problem}`);
    }

    const folder = `${p.id}/${p.version}`;
    if (previousFolder !== null && previousFolder >= folder) {
      fail(`${name} is out of order or repeated: packages are sorted by their folder 'id/version' (ordinal)`);
    }

    const collision = folders.add(folder);
    if (collision) {
      fail(`${name} collides with another package's folder: ${collision}`);
    }

    previousFolder = folder;
    for (const key of ['tarOffset', 'tarSize']) {
      number(p[key], int64, `${name}'s ${key}`);
    }

    number(p.firstFrame, int32, `${name}'s firstFrame`);
    number(p.frameCount, int32, `${name}'s frameCount`);
    if (p.firstFrame !== nextFrame || p.frameCount <= 0 || p.firstFrame + p.frameCount > frames.length - 1) {
      fail(`${name} claims frames ${p.firstFrame}..${p.firstFrame + p.frameCount - 1}; expected to start at frame ${nextFrame} and end before the trailer frame`);
    }

    let tarSize = 0;
    for (let f = p.firstFrame; f < p.firstFrame + p.frameCount; f++) {
      tarSize += frames[f].tarSize;
    }

    if (p.tarOffset !== frames[p.firstFrame].tarOffset || p.tarSize !== tarSize) {
      fail(`${name}'s tar range (${p.tarOffset}, ${p.tarSize} bytes) does not match its frames (${frames[p.firstFrame].tarOffset}, ${tarSize} bytes)`);
    }

    nextFrame = p.firstFrame + p.frameCount;
    validateFiles(p, name, limits, totals);
  });

  if (nextFrame !== frames.length - 1) {
    fail(`frames ${nextFrame}..${frames.length - 2} belong to no package`);
  }

  if (totals.size > limits.maxTotalSize) {
    fail(`its files add up to ${totals.size} bytes, over the limit of ${limits.maxTotalSize} (maxTotalSize)`);
  }
}

function validateFiles(p, name, limits, totals) {
  const end = p.tarOffset + p.tarSize;
  const paths = new PathCollisions();
  let minimumOffset = p.tarOffset + 2 * format.block;
  let previousPath = null;
  for (const file of p.files) {
    if (file === null || typeof file !== 'object' || typeof file.path !== 'string' || typeof file.sha256 !== 'string') {
      fail(`${name} has a file entry without path or sha256`);
    }

    const problem = pathProblem(file.path, limits.maxPathLength);
    if (problem) {
      fail(`${name} has a file '${file.path}' whose path is unsafe: ${problem}`);
    }

    if (previousPath !== null && previousPath >= file.path) {
      fail(`${name} lists '${file.path}' out of order or twice: files are sorted by path (ordinal)`);
    }

    const collision = paths.add(file.path);
    if (collision) {
      fail(`${name} has colliding paths: ${collision}`);
    }

    previousPath = file.path;
    number(file.size, int64, `'${file.path}' size`);
    number(file.offset, int64, `'${file.path}' offset`);
    if (file.size < 0 || file.size > limits.maxFileSize) {
      fail(`${name} has '${file.path}' of ${file.size} bytes; files may have 0 to ${limits.maxFileSize} bytes (maxFileSize)`);
    }

    if (file.mode !== 0o644 && file.mode !== 0o755) {
      fail(`${name} has '${file.path}' with mode ${Number(file.mode).toString(8)}; only 644 and 755 are allowed`);
    }

    if (!/^[0-9a-f]{64}$/.test(file.sha256)) {
      fail(`${name} has '${file.path}' with a sha256 that is not 64 lower-case hex digits`);
    }

    if (file.offset % format.block !== 0 || file.offset < minimumOffset || file.offset > end || file.offset + file.size > end) {
      fail(`${name} has '${file.path}' at tar offset ${file.offset}, outside its package's range or overlapping the entry before it`);
    }

    if (file.from !== undefined && file.from !== null) {
      const fromProblem = pathProblem(file.from, limits.maxPathLength);
      if (fromProblem) {
        fail(`${name} has '${file.path}' read from an unsafe archive path: ${fromProblem}`);
      }
    }

    if (file.generated !== undefined && file.generated !== null && (p.layout !== 'nuget' || !generatedFiles.includes(file.generated))) {
      fail(`${name} has '${file.path}' generated as '${file.generated}', which its layout does not define`);
    }

    minimumOffset = file.offset + Math.ceil(file.size / format.block) * format.block + format.block;
    totals.size += file.size;
    if (++totals.count > limits.maxFileCount) {
      fail(`it has more than ${limits.maxFileCount} files (maxFileCount)`);
    }
  }
}
