"""Live compliance: rectification orders and acts on record, assessments, sweeps."""
