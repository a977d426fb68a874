from commissioning.testing.matrix import UrlCase, expect

CASES = [
    UrlCase("core:health", expect(200, anonymous=200)),
    UrlCase("core:accessibility", expect(200, anonymous=200)),
    UrlCase("core:privacy", expect(200, anonymous=200)),
    UrlCase("core:cookies", expect(200, anonymous=200)),
]
