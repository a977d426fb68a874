"""The signed-in home page: what is waiting for each role."""
