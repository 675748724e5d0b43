"""teisite: TEI P5 files in, an annotated static digital edition out."""

__version__ = "0.1.0"
