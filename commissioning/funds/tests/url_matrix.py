"""The funds app's URLs for the role x URL matrix: pages and reporting list their own cases."""

from commissioning.funds.tests import url_matrix_pages, url_matrix_reporting


def setup(world):
    url_matrix_pages.setup(world)
    url_matrix_reporting.setup(world)


CASES = [*url_matrix_pages.CASES, *url_matrix_reporting.CASES]
