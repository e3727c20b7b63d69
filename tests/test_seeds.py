"""The five real seed reports, one per text layout, read exactly."""

from pathlib import Path

import pytest

from expected import differences, load

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FIXTURE_SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def _folder() -> Path:
    # the bundled copy keeps the suite self-contained; ../shared is preferred when present
    return SEEDS if (SEEDS / "expected.json").exists() else FIXTURE_SEEDS


CASES = sorted(load(_folder()))


@pytest.mark.parametrize("name", CASES)
def test_seed_reads_exactly(name):
    folder = _folder()
    assert differences(folder / name, load(folder)[name], strict=False) == []
