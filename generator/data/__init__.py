"""Data sets: generated here, or read from files that ship inside installed packages."""
