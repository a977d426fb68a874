"""Browser tests: pytest-playwright driving Debian's chromium, with axe-core accessibility checks. The fixtures
(browser_type_launch_args, axe_check, sign_in, signed_in) are in commissioning/testing/browser.py."""

import shutil

import pytest

from commissioning.testing.browser import CHROMIUM, NO_CHROMIUM


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not shutil.which(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))
