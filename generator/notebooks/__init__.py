"""Notebook sources, one per file, in jupytext's "percent" format.

These files are never imported: generator/figures/notebooks.py turns each into two
notebooks (Korean and English), runs them and saves them with their outputs. Markdown cells
tagged "ko" or "en" go only into that language's notebook; every other cell goes into both,
so the code the two languages run is the same code. A cell tagged "parameters" is the one
that smoke builds (tests) replace, to run a tiny version.
"""
