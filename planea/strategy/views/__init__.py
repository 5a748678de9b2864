"""The pages of the PEI, one module per concept: its versions (list, page, header, case), the results chain of a
version, and the modifications (a new version, compared with its origin)."""
