"""The transparency app's URLs for the role x URL matrix, one module per publication."""

from commissioning.transparency.tests import url_matrix_ocds

PARTS = (url_matrix_ocds,)


def setup(world):
    for part in PARTS:
        part.setup(world)


CASES = [case for part in PARTS for case in part.CASES]
