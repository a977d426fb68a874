"""The OCDS open-data URL for the role x URL matrix: public, so everyone (signed in or not) gets it."""

from commissioning.testing.matrix import UrlCase, expect


def setup(world):
    pass


CASES = [UrlCase("transparency_ocds:ocds_package", expect(200, anonymous=200))]
