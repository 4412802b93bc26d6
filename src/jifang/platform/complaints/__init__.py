"""Complaints and reports (投诉举报) from the public about practitioners, units and systems."""
