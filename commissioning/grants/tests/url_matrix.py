"""The grants app's URLs for the role x URL matrix, one module per part."""

from commissioning.grants.tests import url_matrix_apply, url_matrix_assess, url_matrix_awards, url_matrix_proposals

PARTS = (url_matrix_apply, url_matrix_assess, url_matrix_awards, url_matrix_proposals)


def setup(world):
    for part in PARTS:
        part.setup(world)


CASES = [case for part in PARTS for case in part.CASES]
