"""The pytest plugin (entry point `policyengine`): a `policyengine_env` fixture.

Configure the environment file in the project's pytest configuration, relative to the
rootdir:

    [tool.pytest.ini_options]          # pyproject.toml (or `[pytest]` in pytest.ini)
    policyengine_env = "infra/env.json"

The fixture loads it once per session (`Environment.load`). This module imports neither
hypothesis nor anything heavy, so pytest can load it in every project where policyengine
is installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

INI_OPTION = "policyengine_env"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(INI_OPTION, "policyengine: environment file (JSON or YAML) for the `policyengine_env` fixture, "
                              "relative to the rootdir", default="")


@pytest.fixture(scope="session")
def policyengine_env(pytestconfig: pytest.Config) -> Any:
    """The environment named by the `policyengine_env` ini option, loaded once per session."""
    from ..environment import Environment

    value = str(pytestconfig.getini(INI_OPTION) or "").strip()
    if not value:
        pytest.fail("the `policyengine_env` fixture needs an environment file: set `policyengine_env = path` "
                    "(relative to the rootdir) in your pytest configuration ([tool.pytest.ini_options] in "
                    "pyproject.toml, or [pytest] in pytest.ini)", pytrace=False)
    path = Path(value)
    if not path.is_absolute():
        path = Path(pytestconfig.rootpath) / path
    if not path.exists():
        pytest.fail(f"policyengine_env: the environment file `{path}` does not exist "
                    f"(`{value}` is read relative to the rootdir {pytestconfig.rootpath})", pytrace=False)
    return Environment.load(path)
