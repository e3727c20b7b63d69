import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """Keep the parse cache of test runs out of the user's cache directory."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIKR_CACHE_DIR", str(tmp_path_factory.mktemp("gikr-cache")))
        yield
