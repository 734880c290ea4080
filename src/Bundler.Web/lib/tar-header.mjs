import { BundleError } from './bundle-error.mjs';

// One ustar header block and the pax or GNU long-name records before it (FORMAT.md §5), read as strictly as
// Bundler.Loader reads them: every number must parse and fit, whichever of octal or GNU base-256 it is written in.

const decoder = new TextDecoder();
const entryTypes = {
  '0': 'RegularFile', '\0': 'V7RegularFile', '1': 'HardLink', '2': 'SymbolicLink', '3': 'CharacterDevice', '4': 'BlockDevice',
  '5': 'Directory', '6': 'Fifo', '7': 'ContiguousFile', 'g': 'GlobalExtendedAttributes', 'x': 'ExtendedAttributes',
  'L': 'LongPath', 'K': 'LongLink', 'S': 'SparseFile', 'M': 'MultiVolume', 'V': 'TapeVolume', 'D': 'DirectoryList', 'N': 'RenamedOrSymlinked',
};
const limits = { uid: 2 ** 31 - 1, gid: 2 ** 31 - 1, mtime: 253402300799n, size: 2n ** 63n - 1n };

/** The entry type's name as .NET's TarEntryType spells it, for messages. */
export function entryTypeName(flag) {
  return entryTypes[flag] ?? `type '${flag}'`;
}

function text(block, start, length) {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end < 0 ? field : field.subarray(0, end));
}

function number(block, start, length, field, describe) {
  const bytes = block.subarray(start, start + length);
  let value;
  if (bytes[0] & 0x80) {
    if (bytes[0] === 0xff) {
      throw new BundleError(`${describe()} has a base-256 ${field} of a negative value; the bundle is corrupt or was tampered with.`);
    }

    value = BigInt(bytes[0] & 0x7f);
    for (let i = 1; i < length; i++) {
      value = value * 256n + BigInt(bytes[i]);
    }

    if (value > BigInt(limits[field] ?? limits.size)) {
      throw new BundleError(`${describe()} has a base-256 ${field} of ${value} out of range; the bundle is corrupt or was tampered with.`);
    }

    return Number(value);
  }

  const digits = decoder.decode(bytes).replace(/^ +/, '').replace(/[ \0]+$/, '').replace(/\0.*$/s, '');
  if (!/^[0-7]*$/.test(digits)) {
    throw new BundleError(`${describe()} cannot be read: its ${field} field '${digits}' is not a number; the bundle is corrupt or was tampered with.`);
  }

  value = digits.length === 0 ? 0n : BigInt('0o' + digits);
  if (value > BigInt(limits[field] ?? limits.size)) {
    throw new BundleError(`${describe()} has a ${field} of ${value} out of range; the bundle is corrupt or was tampered with.`);
  }

  return Number(value);
}

function isZero(block) {
  return block.every(b => b === 0);
}

function paxRecords(bytes, describe) {
  const records = {};
  const body = decoder.decode(bytes);
  let at = 0;
  while (at < body.length && body[at] !== '\0') {
    const space = body.indexOf(' ', at);
    const length = Number(body.slice(at, space));
    const record = body.slice(space + 1, at + length - 1);
    const equals = record.indexOf('=');
    if (space < 0 || !Number.isInteger(length) || length <= 0 || equals < 0) {
      throw new BundleError(`${describe()} has a pax header that cannot be read; the bundle is corrupt or was tampered with.`);
    }

    records[record.slice(0, equals)] = record.slice(equals + 1);
    at += length;
  }

  return records;
}

/**
 * Reads the next entry from `tar` (a ByteReader over the tar stream): its name, type, size, mode and the tar offset
 * of its data. Returns null at an all-zero block (the end of the entries).
 */
export async function readEntry(tar) {
  const start = tar.position;
  let longName = null;
  let pax = {};
  for (;;) {
    const block = await tar.read(512);
    if (block === null) {
      return undefined;
    }

    if (isZero(block)) {
      return null;
    }

    const flag = String.fromCharCode(block[156]);
    const name = longName ?? pax.path ?? text(block, 0, 100);
    const describe = () => `The bundle's tar entry '${name}' at offset ${start}`;
    const size = pax.size !== undefined ? Number(pax.size) : number(block, 124, 12, 'size', describe);
    const mode = number(block, 100, 8, 'mode', describe);
    number(block, 108, 8, 'uid', describe);
    number(block, 116, 8, 'gid', describe);
    number(block, 136, 12, 'mtime', describe);
    if (flag === 'x' || flag === 'L') {
      if (size > 1024 * 1024) {
        throw new BundleError(`${describe()} has ${size} bytes of extended headers; the bundle is corrupt or was tampered with.`);
      }

      const data = await tar.readExactly(Math.ceil(size / 512) * 512, `the extended header of '${name}'`);
      if (flag === 'L') {
        longName = text(data, 0, size);
      } else {
        pax = paxRecords(data.subarray(0, size), describe);
        const sparse = Object.keys(pax).find(key => key.startsWith('GNU.sparse.'));
        if (sparse) {
          throw new BundleError(`${describe()} is a sparse file (pax GNU.sparse records), which a bundle never holds; the bundle is corrupt or was tampered with.`);
        }
      }

      continue;
    }

    if (flag === 'S') {
      throw new BundleError(`${describe()} is a GNU sparse file, which a bundle never holds; the bundle is corrupt or was tampered with.`);
    }

    return { name, flag, type: entryTypeName(flag), size, mode: mode & 0o7777, offset: tar.position };
  }
}
