"""Practitioners (从业单位): filings, qualification certificates, personnel, warning list."""
