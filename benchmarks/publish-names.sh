# Sourced by the benchmark scripts: the names inside a publish folder, as its index.json gives them (docs/FORMAT.md §12).

# publish_bundle FOLDER: the bundle's object name, relative to the folder.
publish_bundle() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1] + "/index.json"))["bundle"])' "$1"; }

# publish_archives FOLDER: every original archive's object name (files/<digest>/<name>), one a line.
publish_archives() { (cd "$1" && find files -type f | sort); }
