"""A build that cannot lose, fake or orphan anything, and errors a newcomer can act on.

Numbers are guarded like files; two builds in one checkout take turns; workers die with the
build that started them; every mistake on the command line or in figures/manifest.json is
one line that names a fix that works. scripts/fault_probes.py tries all of it for real."""
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from shared import ROOT


from generator.engine import builder, cli, keys, locks, output, paths, registry
from generator.engine.manifest import Manifest, metrics_digest

SMOKE_BUILD = ("import sys; from pathlib import Path; from generator.engine import builder; "
               "builder.build(sys.argv[3:], smoke=True, figures_dir=Path(sys.argv[1]), "
               "cache_dir=Path(sys.argv[2]), quiet=True)")


def one_line_error(capsys, *arguments) -> str:
    with pytest.raises(SystemExit) as stop:
        cli.main(list(arguments))
    error = capsys.readouterr().err
    assert stop.value.code == 2 and error.count("\n") == 1 and "Traceback" not in error, error
    return error


def test_mistyped_options_are_refused_in_one_line(capsys):
    assert "Did you mean --force?" in one_line_error(capsys, "build", "--forc")
    for jobs in ("0", "-3", "two"):
        assert "whole number of processes from 1 up" in one_line_error(capsys, "build", "--jobs", jobs)
    assert "not allowed with argument" in one_line_error(capsys, "check", "--cold", "--sources")


@pytest.fixture
def published(tmp_path, monkeypatch):
    """A copy of the committed figures/ that the command line sees as the real one."""
    copy = tmp_path / "figures"
    shutil.copytree(ROOT / "figures", copy)
    monkeypatch.setattr(paths, "FIGURES", copy)
    return copy


def test_a_hand_edited_number_fails_the_check_and_is_rebuilt(published, capsys):
    manifest = json.loads((published / "manifest.json").read_text())
    numbers = manifest["figures"]["swiss_roll_unrolled"]["metrics"]
    numbers["tsne"]["along_roll"] = round(numbers["tsne"]["along_roll"] + 0.1, 3)  # 0.892 -> 0.992
    (published / "manifest.json").write_text(json.dumps(manifest))
    assert cli.main(["check", "--sources"]) == 1
    out = capsys.readouterr().out
    assert "the numbers of swiss_roll_unrolled differ from what the build recorded" in out
    assert "python -m generator build swiss_roll_unrolled" in out
    loaded = Manifest.load(published / "manifest.json")
    registry.load_all()
    key = keys.figure_key(registry.FIGURES["swiss_roll_unrolled"], smoke=False)
    assert not loaded.is_current("swiss_roll_unrolled", key)  # a plain build redoes it
    assert loaded.is_current("swiss_roll_3d", keys.figure_key(registry.FIGURES["swiss_roll_3d"], False))


def test_a_full_check_compares_rebuilt_numbers_even_with_a_forged_digest(published, monkeypatch,
                                                                         tmp_path, capsys):
    """A number edited together with its digest passes `check --sources`; rebuilding shows it."""
    manifest = json.loads((published / "manifest.json").read_text())
    entry = manifest["figures"]["intrinsic_widget"]  # a figure that needs no model: fast to rebuild
    entry["metrics"]["overall_k10"] = round(entry["metrics"]["overall_k10"] + 0.1, 3)
    entry["metrics_sha256"] = metrics_digest("intrinsic_widget", entry["metrics"])
    (published / "manifest.json").write_text(json.dumps(manifest))
    assert cli.main(["check", "--sources", "intrinsic_widget"]) == 0
    monkeypatch.setattr(paths, "MODEL_CACHE", tmp_path / "models")
    assert cli.main(["check", "intrinsic_widget"]) == 1
    assert "intrinsic_widget: rebuilt numbers differ from figures/manifest.json (overall_k10:" \
        in capsys.readouterr().out


def test_the_digest_covers_every_number():
    numbers = {"a": 1, "b": {"c": 0.5, "d": [1, 2]}}
    digest = metrics_digest("fig", numbers)
    assert digest == metrics_digest("fig", json.loads(json.dumps(numbers)))
    for edited in ({"a": 2, "b": numbers["b"]}, {"a": 1, "b": {"c": 0.51, "d": [1, 2]}},
                   {"a": 1, "b": {"c": 0.5, "d": [1, 3]}}, {"a": 1}):
        assert metrics_digest("fig", edited) != digest
    assert metrics_digest("other", numbers) != digest


@pytest.mark.parametrize("text, says", [
    ("{ this is not json", "JSONDecodeError"),
    ('{"files": {}, "figures": []}', '"figures" objects'),
    ('{"files": {}, "figures": {"x": {"key": "k", "sources": "s", "metrics": {}, '
     '"metrics_sha256": "d"}}}', "figure 'x' has no valid 'outputs'"),
])
def test_a_malformed_manifest_is_one_line_with_a_fix_that_works(published, capsys, text, says):
    (published / "manifest.json").write_text(text)
    assert cli.main(["check", "--sources"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and says in error and f"rm {os.path.relpath(published)}/manifest.json" in error
    assert "git checkout" not in error  # this copy is not tracked by git: that fix would fail


def test_an_empty_manifest_is_one_line_not_one_per_file(published, capsys):
    (published / "manifest.json").write_text('{"files": {}, "figures": {}}')
    assert cli.main(["check", "--sources"]) == 1
    out = capsys.readouterr().out
    assert "records no figure" in out and len(out.splitlines()) == 2  # the count line and this one


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_an_unwritable_folder_is_one_line_with_the_fix(monkeypatch, capsys, tmp_path, code):
    """(Simulated: a test that runs as root can make no folder read-only.)"""
    def refuse(path, write):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(output, "write_atomically", refuse)
    monkeypatch.setattr(builder, "SMOKE_FIGURES", tmp_path / "figures")
    monkeypatch.setattr(paths, "MODEL_CACHE", tmp_path / "models")
    assert cli.main(["build", "pixel_line", "--smoke", "--force", "--jobs", "1"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error
    assert {errno.EROFS: "read-only file system; build in a writable clone",
            errno.EACCES: "chmod -R u+w", errno.ENOSPC: "disk is full"}[code] in error


def test_leftovers_of_live_writers_are_kept(tmp_path):
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        mine = tmp_path / f".a.webp.{live.pid}.tmp"
        dead = tmp_path / ".b.webp.999999999.tmp"
        for path in (mine, dead):
            path.write_bytes(b"half")
        assert locks.remove_leftovers(tmp_path) == [str(dead)] and mine.exists()
    finally:
        live.kill()


def test_two_builds_at_once_take_turns_and_both_are_recorded(tmp_path):
    figures, models = tmp_path / "figures", tmp_path / "models"
    started = [subprocess.Popen([sys.executable, "-c", SMOKE_BUILD, str(figures), str(models), name],
                                cwd=ROOT, stderr=subprocess.PIPE, text=True)
               for name in ("swiss_roll_3d", "pixel_line")]
    results = [(process.wait(timeout=120), process.stderr.read()) for process in started]
    assert [code for code, _ in results] == [0, 0], results
    manifest = Manifest.load(figures / "manifest.json")
    assert {"swiss_roll_3d", "pixel_line"} <= set(manifest.figures)
    assert manifest.problems() == []
    waited = [error for _, error in results if "another build is writing" in error]
    assert len(waited) <= 1 and all(error.count("\n") == 1 for error in waited)


def test_workers_die_with_the_build_that_started_them(tmp_path, fault_probes):
    """kill -9 of the build alone: its workers (two models train side by side) end at once,
    and nothing more is written to the figures folder."""
    tag = f"workers-{os.getpid()}"
    build = subprocess.Popen([sys.executable, "-c", SMOKE_BUILD, str(tmp_path / "figures"),
                              str(tmp_path / "models"), "mnist_latent_walk", "face_grid"],
                             cwd=ROOT, env=dict(os.environ, **{fault_probes.TAG: tag}))
    deadline = time.monotonic() + 60
    while len(fault_probes.tagged_processes(tag)) < 3 and time.monotonic() < deadline:  # build + 2 workers
        time.sleep(0.2)
    assert len(fault_probes.tagged_processes(tag)) >= 3, "the workers never started"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 3
    while fault_probes.tagged_processes(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert fault_probes.tagged_processes(tag) == []


def test_the_site_build_refuses_a_missing_figure_or_an_edited_number(published, monkeypatch):
    """mkdocs build alone (without `check`) stops: i18n would show the Korean file in place
    of a missing English one, and a page would quote an edited number."""
    sys.path.insert(0, str(ROOT / "hooks"))
    from mkdocs.exceptions import PluginError

    import figures as hook

    monkeypatch.setattr(hook, "FIGURES", published)
    hook.on_pre_build({})
    manifest = json.loads((published / "manifest.json").read_text())
    english = published / manifest["figures"]["pixel_line"]["outputs"][0].replace(".ko.", ".en.")
    english.unlink()
    with pytest.raises(PluginError, match=r"pixel_line\.en\.webp: missing"):
        hook.on_pre_build({})
    shutil.copy(ROOT / "figures" / english.relative_to(published), english)
    manifest["figures"]["diffusion_check"]["metrics"]["steps"] += 1
    (published / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PluginError, match="numbers of diffusion_check differ"):
        hook.on_pre_build({})


def test_a_raw_html_link_to_a_missing_place_fails_the_site_build(tmp_path):
    sys.path.insert(0, str(ROOT / "hooks"))
    import anchors
    from mkdocs.exceptions import PluginError

    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<h2 id="here">x</h2><a href="#here">ok</a>'
                                         '<a href="a/#there">ok</a><a href="https://x.org/#y">ok</a>')
    (tmp_path / "a" / "index.html").write_text('<p id="there"></p><a href="../#here">ok</a>')
    anchors.on_post_build({"site_dir": str(tmp_path)})
    (tmp_path / "a" / "index.html").write_text('<p id="there"></p><a href="../#missing">no</a>')
    with pytest.raises(PluginError, match=r"a/index\.html: \.\./#missing"):
        anchors.on_post_build({"site_dir": str(tmp_path)})


def test_no_number_on_the_pages_depends_on_the_machines_speed():
    manifest = json.loads((ROOT / "figures" / "manifest.json").read_text())

    def names(numbers, prefix=""):
        for key, value in numbers.items():
            yield prefix + key
            if isinstance(value, dict):
                yield from names(value, f"{prefix}{key}.")

    timed = [f"{figure}.{name}" for figure, entry in manifest["figures"].items()
             for name in names(entry["metrics"])
             if set(re.split(r"[._]", name.lower())) & {"minutes", "seconds", "time", "duration", "ms"}]
    assert timed == [], "a duration depends on the machine: quote steps or epochs instead"


@pytest.mark.slow
def test_fault_probes_lose_nothing():
    """scripts/fault_probes.py --quick: kill -9 of the build and of its group, two builds at
    once, broken cache entries, hand edits and malformed manifests."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "fault_probes.py"), "--quick"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    total = result.stdout.strip().splitlines()[-1]
    assert total.startswith("total"), result.stdout
    assert all(cell.strip() == "0" for cell in total.split("|")[3:]), result.stdout  # lost … long messages
