"""The pages of the operational plans, one module per concept: the plans and their totals, the goal grid and its
file, the inputs (catalog and matrix), the ceilings, the reprogramming requests and the anteproyectos."""
