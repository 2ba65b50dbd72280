"""A district that is not Zhoucun: the invented 梁山区 of tests/data/districts/, set up on an empty database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DISTRICT_FILE = Path(__file__).resolve().parent.parent / "data" / "districts" / "liangshan.yaml"
NEW_PASSWORD = "梁山的孩子们有话要说"


def set_up_liangshan(runner) -> str:
    """``flask --app council setup --district`` with the invented district; returns the one-time link printed."""
    result = runner.invoke(args=["setup", "--district", str(DISTRICT_FILE)])
    assert result.exit_code == 0, result.output
    return re.search(r"https?://\S+/welcome/\S+", result.output).group(0)


@pytest.fixture
def liangshan(app, runner):
    """The invented district, set up through the command; the coordinator's link."""
    return set_up_liangshan(runner)
