"""`python -m generator build | list | check | clean` — the only entry point that trains or renders."""
from __future__ import annotations

import argparse
import difflib
import errno
import shutil
import sys
import tempfile
from pathlib import Path

from generator.engine import paths, registry
from generator.engine.builder import SMOKE_FIGURES, build
from generator.engine.errors import GeneratorError
from generator.engine.keys import figure_key, sources_key
from generator.engine.manifest import Manifest, shown, tracked_files


def command_build(args) -> int:
    summary = build(args.names, force=args.force, smoke=args.smoke, jobs=args.jobs)
    print(summary.line())
    return 0


def command_list(args) -> int:
    specs = registry.select(args.names)
    manifest = Manifest.load((SMOKE_FIGURES if args.smoke else paths.FIGURES) / "manifest.json")
    width = max(len(spec.name) for spec in specs)
    for spec in specs:
        state = "up to date" if manifest.is_current(spec.name, figure_key(spec, args.smoke)) else "stale"
        models = f"  models: {', '.join(spec.models)}" if spec.models else ""
        print(f"{spec.name:<{width}}  {state:<10}  {', '.join(spec.outputs().values())}{models}")
    return 0


def committed_differences(published: Manifest, names: list[str] | None) -> list[str]:
    """Files in figures/ that are missing or differ from what the manifest recorded, numbers
    edited in it, and files no figure makes: compared before anything is rebuilt."""
    if not published.figures:  # one line, not a line for each of its files
        count = sum(1 for path in paths.FIGURES.rglob("*") if path.is_file()) - published.path.exists()
        where = shown(published.path)
        restore = (f"restore it: git checkout -- {where}, or "
                   if published.path.resolve() in (tracked_files(paths.FIGURES) or set()) else "")
        return [f"  {where} records no figure, but {shown(paths.FIGURES)}/ holds {count} files "
                f"({restore}record every figure again: python -m generator build)"] if count else []
    return published.problems(names)


def stale_sources(published: Manifest, names: list[str] | None) -> list[str]:
    """Figures whose source code changed since they were built (or that were never built)."""
    if not published.figures:  # one line, not one for each figure
        return ["  no figure has been built yet (build them: python -m generator build)"]
    found = []
    for spec in registry.select(names):
        recorded = published.figures.get(spec.name, {}).get("sources")
        if recorded != sources_key(spec):
            found.append(f"  {spec.name}: {'never built' if recorded is None else 'its source changed'}"
                         f" (rebuild: python -m generator build {spec.name})")
    return found


def command_check(args) -> int:
    """Compare the committed figures with the manifest, then rebuild everything into a
    temporary folder and compare every rebuilt file's bytes with both. With --sources, only
    check that no figure is older than its source code and no file was edited (seconds)."""
    published = Manifest.load(paths.FIGURES / "manifest.json")
    differences = committed_differences(published, args.names)
    if args.sources:
        if published.figures or not differences:  # an empty manifest is said once, above
            differences += stale_sources(published, args.names)
        if differences:
            print(f"check: {len(differences)} problems; the site would be published wrong:")
            print("\n".join(differences))
            return 1
        print("check: every figure matches its source and figures/manifest.json")
        return 0
    with tempfile.TemporaryDirectory(prefix="generator-check-") as temporary:
        figures_dir = Path(temporary) / "figures"
        cache_dir = Path(temporary) / "models" if args.cold else paths.MODEL_CACHE
        summary = build(args.names, force=True, figures_dir=figures_dir, cache_dir=cache_dir)
        rebuilt = Manifest.load(figures_dir / "manifest.json")
    expected = {path: published.files.get(path) for name in summary.built
                for path in published.figures.get(name, {}).get("outputs", [])}
    for path in sorted(set(expected) | set(rebuilt.files)):
        if path not in expected:
            differences.append(f"  {path}: not in figures/manifest.json (run build)")
        elif path not in rebuilt.files:
            differences.append(f"  {path}: in the manifest but no longer produced")
        elif expected[path] != rebuilt.files[path]:
            differences.append(f"  figures/{path}: the rebuilt file differs from the published one")
    for name in summary.built:  # the numbers the pages quote, rebuilt, must be the published ones
        before = published.figures.get(name, {}).get("metrics")
        after = rebuilt.figures[name]["metrics"]
        if before is not None and before != after:
            differences.append(f"  {name}: rebuilt numbers differ from figures/manifest.json "
                               f"({first_difference(before, after)})")
    cold = " from a cold model cache" if args.cold else ""
    if differences:
        print(f"check: {len(differences)} problems in {len(rebuilt.files)} files{cold}:")
        print("\n".join(differences))
        return 1
    print(f"check: all {len(rebuilt.files)} files rebuilt{cold} are byte-identical "
          f"to figures/manifest.json ({summary.seconds:.1f} s)")
    return 0


def first_difference(before, after, where: str = "") -> str:
    """The first dotted metric name whose value differs, as 'name: old -> new'."""
    if isinstance(before, dict) and isinstance(after, dict):
        for part in sorted(set(before) | set(after)):
            if before.get(part) != after.get(part):
                return first_difference(before.get(part), after.get(part), f"{where}.{part}".lstrip("."))
    return f"{where or 'metrics'}: {before!r} -> {after!r}"


def command_clean(args) -> int:
    """Delete the model cache and the smoke outputs; with --all, the published figures too."""
    targets = [paths.MODEL_CACHE, SMOKE_FIGURES] + ([paths.FIGURES] if args.all else [])
    for target in targets:
        if target.exists():
            shutil.rmtree(target)
            print(f"removed {target.relative_to(paths.ROOT) if target.is_relative_to(paths.ROOT) else target}")
    return 0


class Parser(argparse.ArgumentParser):
    """argparse, strict (no abbreviated options: `--forc` is not `--force`) and with errors
    on one line that says where the help is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, allow_abbrev=False, **kwargs)

    def error(self, message: str):
        hint = ""
        if message.startswith("unrecognized arguments:"):  # e.g. `build --forc`
            known = [option for action in self.every_action() for option in action.option_strings]
            close = [match for word in message.split(":", 1)[1].split()
                     for match in difflib.get_close_matches(word, known, n=1)]
            hint = f" Did you mean {', '.join(close)}?" if close else ""
        self.exit(2, f"error: {message}.{hint} (see `{self.prog} --help`)\n")

    def every_action(self):
        """This parser's arguments and those of its commands."""
        for action in self._actions:
            yield action
            for command in getattr(action, "choices", None) or {}:
                if isinstance(action.choices, dict):
                    yield from action.choices[command].every_action()


def positive_whole_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number of processes from 1 up, "
                                         f"not '{text}'")
    return int(text)


def parser() -> argparse.ArgumentParser:
    main = Parser(prog="python -m generator", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)

    build_parser = commands.add_parser("build", help="train what is missing, render what is stale")
    build_parser.add_argument("names", nargs="*", help="figure names (default: all)")
    build_parser.add_argument("--force", action="store_true", help="re-render even if up to date")
    build_parser.add_argument("--smoke", action="store_true",
                              help="tiny model configs, outputs in .cache/smoke-figures")
    build_parser.add_argument("--jobs", type=positive_whole_number, default=None,
                              help="processes side by side (default: 2, or 1 on a one-core machine)")
    build_parser.set_defaults(run=command_build)

    list_parser = commands.add_parser("list", help="every figure, its outputs and whether it is stale")
    list_parser.add_argument("names", nargs="*")
    list_parser.add_argument("--smoke", action="store_true")
    list_parser.set_defaults(run=command_list)

    check_parser = commands.add_parser("check", help="rebuild into a temp folder, compare bytes")
    check_parser.add_argument("names", nargs="*")
    how = check_parser.add_mutually_exclusive_group()
    how.add_argument("--cold", action="store_true",
                     help="also retrain every model from scratch in a temp cache")
    how.add_argument("--sources", action="store_true",
                     help="only check that no figure is stale or edited (no rebuild, seconds)")
    check_parser.set_defaults(run=command_check)

    clean_parser = commands.add_parser("clean", help="delete the model cache and smoke outputs")
    clean_parser.add_argument("--all", action="store_true", help="also delete figures/")
    clean_parser.set_defaults(run=command_clean)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except GeneratorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a read-only folder or mount, a full disk (raised here or in a worker)
        message = unwritable(error)
        if message is None:
            raise
        print(f"error: {message} Every file already written is complete.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: files already written are complete; run the same command again "
              "to finish", file=sys.stderr)
        return 130


def unwritable(error: OSError) -> str | None:
    """One line for an OSError that means "cannot write here", with a fix that works; None for
    any other error."""
    target = Path(error.filename or ".")
    folder = target if target.is_dir() else target.parent
    elsewhere = ("move the model cache with GENERATOR_CACHE=/tmp/models"
                 if folder.resolve().is_relative_to(paths.MODEL_CACHE.resolve())
                 else "build in a writable clone (git clone . /tmp/site && cd /tmp/site && make site)")
    if error.errno == errno.EROFS:
        return f"cannot write {target}: {folder} is on a read-only file system; {elsewhere}."
    if error.errno in (errno.EACCES, errno.EPERM):
        return (f"cannot write {target}: {folder} is not writable. Make it writable "
                f"(`chmod -R u+w {folder}`), or {elsewhere}.")
    if error.errno == errno.ENOSPC:
        return f"cannot write {target}: the disk is full. Free some space and run the same command again."
    return None
