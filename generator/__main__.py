"""Lets `python -m generator ...` run the command line."""
import sys

from generator.engine.cli import main

sys.exit(main())
