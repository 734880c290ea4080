// The path rules of FORMAT.md §8.4, as Bundler.Loader's EntryPath and PortableSegment apply them.

const encoder = new TextEncoder();
const deviceNames = ['CON', 'PRN', 'AUX', 'NUL'];

/** Why `path` is not a safe relative path of at most `maxLength` UTF-8 bytes, or null when it is. */
export function pathProblem(path, maxLength = 1024) {
  if (typeof path !== 'string' || path.length === 0) {
    return 'the path is empty';
  }

  if (encoder.encode(path).length > maxLength) {
    return `the path is longer than ${maxLength} bytes`;
  }

  if (path[0] === '/') {
    return 'the path is absolute';
  }

  if (path.includes('\\')) {
    return 'the path contains a backslash';
  }

  if (path.includes(':')) {
    return 'the path contains a colon (a drive letter or stream name on Windows)';
  }

  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) {
    return 'the path contains a control character';
  }

  if (!path.isWellFormed()) {
    return 'the path is not valid Unicode (it holds a lone surrogate)';
  }

  for (const segment of path.split('/')) {
    if (segment.length === 0) {
      return 'the path has an empty segment';
    }

    if (segment === '.' || segment === '..') {
      return `the path has a '${segment}' segment`;
    }

    const problem = segmentProblem(segment);
    if (problem) {
      return problem;
    }
  }

  return null;
}

function segmentProblem(segment) {
  const forbidden = /[<>"|?*]/.exec(segment);
  if (forbidden) {
    return `the path element '${segment}' contains '${forbidden[0]}', which Windows does not allow in a name`;
  }

  const last = segment[segment.length - 1];
  if (last === '.' || last === ' ') {
    return `the path element '${segment}' ends with a ${last === '.' ? 'dot' : 'space'}, which Windows drops`;
  }

  if (isDeviceName(segment)) {
    return `the path element '${segment}' is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with or without an extension)`;
  }

  return null;
}

function isDeviceName(segment) {
  const dot = segment.indexOf('.');
  const stem = (dot < 0 ? segment : segment.slice(0, dot)).replace(/ +$/, '').toUpperCase();
  return deviceNames.includes(stem) || /^(COM|LPT)[0-9¹²³]$/.test(stem);
}

/**
 * Reports the first path that would collide on disk with one added before (FORMAT.md §8.5): the same name ignoring
 * case and Unicode normalization, or a file where another path needs a folder.
 */
export class PathCollisions {
  #files = new Map();
  #folders = new Map();

  add(path) {
    const key = foldKey(path);
    const earlier = this.#files.get(key);
    if (earlier !== undefined) {
      return earlier === path ? `'${path}' appears twice` : `'${path}' and '${earlier}' collide: ${differing}`;
    }

    const folder = this.#folders.get(key);
    if (folder !== undefined) {
      return `'${path}' is a file where other files need a folder '${folder}'`;
    }

    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const directory = segments.slice(0, i).join('/');
      const directoryKey = foldKey(directory);
      const file = this.#files.get(directoryKey);
      if (file !== undefined) {
        return `'${path}' lies beneath '${directory}', which is the file '${file}'`;
      }

      if (!this.#folders.has(directoryKey)) {
        this.#folders.set(directoryKey, directory);
      }
    }

    this.#files.set(key, path);
    return null;
  }
}

const differing = 'differing only in case or Unicode normalization, they are one name on Windows or macOS';

/** The canonical decomposition with each UTF-16 unit upper-cased on its own, as .NET's OrdinalIgnoreCase does. */
function foldKey(path) {
  let key = '';
  for (const unit of path.normalize('NFD')) {
    const upper = unit.toUpperCase();
    key += upper.length === unit.length ? upper : unit;
  }

  return key;
}
