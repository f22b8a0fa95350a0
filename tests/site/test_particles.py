"""A Korean particle after a measured number follows how the printed number is read: the page
writes "{{ metric: … }}(으)로" and the reader sees "7.3으로" but "7.2로" (hooks/figures.py)."""
import importlib.util

import pytest

from shared import ROOT


def figures_hook():
    spec = importlib.util.spec_from_file_location("figures_hook", ROOT / "hooks" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("printed, written, shown", [
    ("7.3", "(으)로", "으로"), ("7.2", "(으)로", "로"), ("7.1", "(으)로", "로"),  # 삼, 이, 일
    ("0.13", "(이)었", "이었"), ("0.12", "(이)었", "였"), ("2.6", "(과)와", "과"), ("2.5", "(과)와", "와"),
    ("93%", "(을)를", "를"), ("10", "(은)는", "은"), ("1.4", "(이)다", "다")])
def test_the_particle_fits_the_number(printed, written, shown):
    hook = figures_hook()
    assert hook.particle(printed, hook.METRIC.search("{{ metric: a.b }}" + written)) == shown


def test_no_korean_page_writes_a_fixed_particle_after_a_number_that_changes():
    """After a measured number (not a share, which always reads 퍼센트) a particle is written in
    its two forms, so that a rebuilt number cannot leave the wrong one."""
    import re

    fixed = re.compile(r"\{\{\s*metric:[^}]*?(:\s*[.\d]+f)?\s*\}\}(으로|이었|로|였|을|를|은|는|과|와)")
    for page in sorted((ROOT / "docs").glob("*.md")):
        if page.name.endswith(".en.md"):
            continue
        for match in fixed.finditer(page.read_text(encoding="utf-8")):
            assert "%" in match.group(0), f"{page.name}: {match.group(0)!r} — write the particle as (으)로, (이)었…"
