"""The procurement app's URLs for the role x URL matrix, one module per part."""

from commissioning.procurement.tests import url_matrix_evaluation, url_matrix_planning, url_matrix_tenders

PARTS = (url_matrix_planning, url_matrix_tenders, url_matrix_evaluation)


def setup(world):
    for part in PARTS:
        part.setup(world)


CASES = [case for part in PARTS for case in part.CASES]
