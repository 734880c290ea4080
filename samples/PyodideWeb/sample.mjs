// Installs the wheels of a publish folder into Pyodide as the browser loader hands them over, once from the bundle
// (streamed and verified, each wheel installed as soon as its last byte is checked) and once from the original
// wheels fetched in parallel, each into its own folder; then imports every top-level module they installed.
import { load } from './bundler.mjs';
import { loadPyodide } from './pyodide/pyodide.mjs';

const importAll = `
import importlib, os, sys

def import_all(target):
    names = set()
    for entry in os.listdir(target):
        path = os.path.join(target, entry)
        if entry.endswith('.py'):
            names.add(entry[:-3])
        elif os.path.isfile(os.path.join(path, '__init__.py')):
            names.add(entry)
    sys.path.insert(0, target)
    try:
        imported = {}
        for name in sorted(names):
            for loaded in [m for m in sys.modules if m == name or m.startswith(name + '.')]:
                del sys.modules[loaded]
            try:
                imported[name] = str(getattr(importlib.import_module(name), '__version__', ''))
            except Exception as error:
                imported[name] = 'failed: %s: %s' % (type(error).__name__, error)
        return imported
    finally:
        sys.path.remove(target)
`;

/** Loads `folderUrl` in bundle mode, then in files mode; `show(mode, text)` is told how each went. */
export async function run(folderUrl, show) {
  const pyodide = await loadPyodide({ indexURL: new URL('./pyodide/', import.meta.url).href });
  pyodide.runPython(importAll);
  const results = {};
  for (const mode of ['bundle', 'files']) {
    show(mode, 'loading…');
    try {
      results[mode] = await install(pyodide, folderUrl, mode);
      show(mode, describe(results[mode]));
    } catch (error) {
      results[mode] = { error: `${error.name}: ${error.message}` };
      show(mode, results[mode].error);
    }
  }

  return results;
}

async function install(pyodide, folderUrl, mode) {
  const target = `/sample/${mode}`;
  pyodide.FS.mkdirTree(target);
  const wheels = [];
  const installWheel = ({ path, bytes }) => {
    if (path.endsWith('.whl')) {
      pyodide.unpackArchive(bytes, 'wheel', { extractDir: target });
      wheels.push(path.slice(path.lastIndexOf('/') + 1));
    }
  };

  const start = performance.now();
  const report = await load(folderUrl, { mode, onFile: installWheel, onArchive: installWheel });
  const installedMs = performance.now() - start;
  const imported = pyodide.globals.get('import_all')(target).toJs({ dict_converter: Object.fromEntries });
  return {
    mode,
    packages: report.packages,
    transferredBytes: report.transferredBytes,
    installedMs,
    importedMs: performance.now() - start,
    wheels: wheels.sort(),
    imported,
  };
}

function describe(result) {
  const modules = Object.entries(result.imported).map(([name, version]) => `  ${name} ${version}`).join('\n');
  return `${result.wheels.length} wheels, ${(result.transferredBytes / 1e6).toFixed(2)} MB, installed in ${result.installedMs.toFixed(0)} ms\n`
    + `imported in ${result.importedMs.toFixed(0)} ms:\n${modules}`;
}
