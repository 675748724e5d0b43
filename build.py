#!/usr/bin/env python3
"""teisite's one entry point: build, check or serve an edition.

    python build.py                          build this repository's edition into site/
    python build.py build [PROJECT] [--out DIR] [--strict|--lenient]
    python build.py check [PROJECT] [--format text|json] [--schema | --schema-file RNG] [--strict|--lenient]
    python build.py serve [PROJECT] [--port N] [--host H] [--strict|--lenient]
    python build.py new DIR [--lang en|ru] [--force]   start a project (installed: `teisite new DIR`)

PROJECT is a project folder (source/tei/, maybe mkdocs.yml and templates/) or any folder of TEI files.
"""

import sys

from teisite.commands import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
