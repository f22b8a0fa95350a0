"""`python -m generator build | list | check | clean` — the only entry point that trains or renders."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from generator import paths, registry
from generator.builder import SMOKE_FIGURES, build, figure_key
from generator.errors import GeneratorError
from generator.manifest import Manifest


def command_build(args) -> int:
    summary = build(args.names, force=args.force, smoke=args.smoke)
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


def command_check(args) -> int:
    """Rebuild into a temporary folder and compare every file's bytes with the manifest."""
    published = Manifest.load(paths.FIGURES / "manifest.json")
    with tempfile.TemporaryDirectory(prefix="generator-check-") as temporary:
        figures_dir = Path(temporary) / "figures"
        cache_dir = Path(temporary) / "models" if args.cold else paths.MODEL_CACHE
        summary = build(args.names, force=True, figures_dir=figures_dir, cache_dir=cache_dir)
        rebuilt = Manifest.load(figures_dir / "manifest.json")
    expected = {path: published.files.get(path) for name in summary.built
                for path in published.figures.get(name, {}).get("outputs", [])}
    differences = []
    for path in sorted(set(expected) | set(rebuilt.files)):
        if path not in expected:
            differences.append(f"  {path}: not in figures/manifest.json (run build)")
        elif path not in rebuilt.files:
            differences.append(f"  {path}: in the manifest but no longer produced")
        elif expected[path] != rebuilt.files[path]:
            differences.append(f"  {path}: bytes differ from the published file")
    cold = " from a cold model cache" if args.cold else ""
    if differences:
        print(f"check: {len(differences)} of {len(rebuilt.files)} files differ{cold}:")
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
    build_parser.set_defaults(run=command_build)

    list_parser = commands.add_parser("list", help="every figure, its outputs and whether it is stale")
    list_parser.add_argument("names", nargs="*")
    list_parser.add_argument("--smoke", action="store_true")
    list_parser.set_defaults(run=command_list)

    check_parser = commands.add_parser("check", help="rebuild into a temp folder, compare bytes")
    check_parser.add_argument("names", nargs="*")
    check_parser.add_argument("--cold", action="store_true",
                              help="also retrain every model from scratch in a temp cache")
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
    except KeyboardInterrupt:
        print("interrupted: files already written are complete; run the same command again "
              "to finish", file=sys.stderr)
        return 130
