"""`python -m generator build | list | check | clean` — the only entry point that trains or renders."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from generator import paths, registry
from generator.builder import SMOKE_FIGURES, build, figure_key, sources_key
from generator.errors import GeneratorError
from generator.manifest import Manifest
from generator.save import sha256_of


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
    """Files in figures/ that are missing or differ from what the manifest recorded (a hand
    edit, a half-finished copy, …): compared before anything is rebuilt."""
    wanted = set(names or published.figures)
    found = []
    for name in sorted(wanted & set(published.figures)):
        for relative in published.figures[name]["outputs"]:
            path = paths.FIGURES / relative
            if not path.is_file():
                found.append(f"  figures/{relative}: missing (rebuild: python -m generator build {name})")
            elif sha256_of(path) != published.files.get(relative):
                found.append(f"  figures/{relative}: differs from figures/manifest.json, edited by "
                             f"hand? (restore: git checkout -- figures/{relative}, or rebuild: "
                             f"python -m generator build {name} --force)")
    if not names:  # a file no figure makes would still be published with the site
        listed = set(published.files) | {"manifest.json"}
        for path in sorted(paths.FIGURES.rglob("*")):
            relative = path.relative_to(paths.FIGURES).as_posix()
            if path.is_file() and relative not in listed:
                found.append(f"  figures/{relative}: no figure makes it (remove: git rm figures/{relative})")
    return found


def stale_sources(published: Manifest, names: list[str] | None) -> list[str]:
    """Figures whose source code changed since they were built (or that were never built)."""
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
        differences += stale_sources(published, args.names)
        if differences:
            print(f"check: {len(differences)} figures would be published wrong:")
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
    cold = " from a cold model cache" if args.cold else ""
    if differences:
        print(f"check: {len(differences)} problems in {len(rebuilt.files)} files{cold}:")
        print("\n".join(differences))
        return 1
    print(f"check: all {len(rebuilt.files)} files rebuilt{cold} are byte-identical "
          f"to figures/manifest.json ({summary.seconds:.1f} s)")
    return 0


def command_clean(args) -> int:
    """Delete the model cache and the smoke outputs; with --all, the published figures too."""
    targets = [paths.MODEL_CACHE, SMOKE_FIGURES] + ([paths.FIGURES] if args.all else [])
    for target in targets:
        if target.exists():
            shutil.rmtree(target)
            print(f"removed {target.relative_to(paths.ROOT) if target.is_relative_to(paths.ROOT) else target}")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)

    build_parser = commands.add_parser("build", help="train what is missing, render what is stale")
    build_parser.add_argument("names", nargs="*", help="figure names (default: all)")
    build_parser.add_argument("--force", action="store_true", help="re-render even if up to date")
    build_parser.add_argument("--smoke", action="store_true",
                              help="tiny model configs, outputs in .cache/smoke-figures")
    build_parser.add_argument("--jobs", type=int, default=None,
                              help="processes side by side (default: 2, or 1 on a one-core machine)")
    build_parser.set_defaults(run=command_build)

    list_parser = commands.add_parser("list", help="every figure, its outputs and whether it is stale")
    list_parser.add_argument("names", nargs="*")
    list_parser.add_argument("--smoke", action="store_true")
    list_parser.set_defaults(run=command_list)

    check_parser = commands.add_parser("check", help="rebuild into a temp folder, compare bytes")
    check_parser.add_argument("names", nargs="*")
    check_parser.add_argument("--cold", action="store_true",
                              help="also retrain every model from scratch in a temp cache")
    check_parser.add_argument("--sources", action="store_true",
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
    except PermissionError as error:  # e.g. a read-only figures/ or model cache
        folder = Path(error.filename or ".").parent
        print(f"error: cannot write {error.filename}: {folder} is not writable. Make it writable "
              f"(`chmod -R u+w {folder}`), or build elsewhere with GENERATOR_CACHE=/tmp/models "
              f"for the model cache. Every file already written is complete.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: files already written are complete; run the same command again "
              "to finish", file=sys.stderr)
        return 130
