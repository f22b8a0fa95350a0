"""The build engine: it trains, renders, caches and records, and names no model or figure.

Models and figures register themselves with engine.registry; everything else here works on
whatever is registered. Nothing in this package imports the science, the models or the figures.
"""
