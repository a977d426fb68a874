from commissioning.testing.matrix import UrlCase, expect

CASES = [
    UrlCase("home:index", expect(200)),
]
