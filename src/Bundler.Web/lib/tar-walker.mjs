import { BundleError } from './bundle-error.mjs';
import { sha256Hex } from './integrity.mjs';
import { readEntry } from './tar-header.mjs';

// FORMAT.md §8.6: the tar stream holds exactly the manifest's entries, in its order, and every file its sha256.

function mismatch(p, name, detail) {
  return new BundleError(`The bundle's tar entry '${name}' of ${p.id} ${p.version} does not match its manifest: ${detail}.`);
}

async function expectEntry(tar, p, name) {
  const at = tar.position;
  const entry = await readEntry(tar);
  if (!entry) {
    throw new BundleError(`The bundle's tar stream ends at offset ${at}, before '${name}' of ${p.id} ${p.version}.`);
  }

  if (entry.name !== name) {
    throw mismatch(p, name, `an entry named '${entry.name}'`);
  }

  return entry;
}

/** Walks the tar stream, hands each verified file to `onFile` in manifest order; returns the number of file bytes. */
export async function walkTar(tar, manifest, onFile, timings) {
  let fileBytes = 0;
  for (const p of manifest.packages) {
    const folder = `${p.id}/${p.version}`;
    const folderEntry = await expectEntry(tar, p, folder + '/');
    if (folderEntry.flag !== '5') {
      throw mismatch(p, folder + '/', `a ${folderEntry.type} entry where the package folder was expected`);
    }

    for (const file of p.files) {
      const name = `${folder}/${file.path}`;
      const entry = await expectEntry(tar, p, name);
      if (entry.flag !== '0' && entry.flag !== '\0') {
        throw mismatch(p, name, `a ${entry.type} entry where a regular file was expected (links, devices and other entry types are refused)`);
      }

      if (entry.size !== file.size || entry.mode !== file.mode || entry.offset !== file.offset) {
        throw mismatch(p, name, `size ${entry.size}, mode ${entry.mode.toString(8)} at tar offset ${entry.offset}; the manifest says size ${file.size}, mode ${file.mode.toString(8)} at ${file.offset}`);
      }

      const data = await tar.readExactly(file.size, `'${name}'`);
      // A file cut from a frame would keep the whole frame alive as long as the caller keeps the file.
      const bytes = data.byteLength === data.buffer.byteLength ? data : data.slice();
      const actual = await sha256Hex(bytes);
      if (actual !== file.sha256) {
        throw new BundleError(`${p.id} ${p.version} file '${file.path}' does not match the manifest: its sha256 is ${actual}, the manifest says ${file.sha256}. The bundle is corrupt or was tampered with.`);
      }

      timings.firstFile ??= performance.now();
      await onFile({ path: name, id: p.id, version: p.version, filePath: file.path, mode: file.mode, sha256: actual, bytes });
      fileBytes += file.size;
      await tar.readExactly((512 - (file.size % 512)) % 512, `the padding of '${name}'`);
    }

    if (tar.position > p.tarOffset + p.tarSize) {
      throw new BundleError(`The bundle's tar stream for ${p.id} ${p.version} ends at offset ${tar.position}; the manifest says ${p.tarOffset + p.tarSize}.`);
    }
  }

  await checkTrailer(tar, manifest);
  return fileBytes;
}

async function checkTrailer(tar, manifest) {
  while (tar.position < manifest.tarSize) {
    const at = tar.position;
    const block = await tar.read(Math.min(512, manifest.tarSize - at));
    if (block === null) {
      break;
    }

    if (!block.every(b => b === 0)) {
      throw new BundleError(`The bundle's tar stream has data near offset ${at} that the manifest does not list.`);
    }
  }

  if (tar.position !== manifest.tarSize || !(await tar.atEnd())) {
    throw new BundleError(`The bundle's tar stream is not ${manifest.tarSize} bytes long, as the manifest says.`);
  }
}
