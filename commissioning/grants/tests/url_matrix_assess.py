def setup(world):
    pass


CASES: list = []
