"""The registry pages' parts: for every registry of the catalogue a list (search, filters,
sorting, pages of rows), a page for each row, and an export of the listed rows as CSV or XLSX.
The views themselves are in jifang.web.views.registries.

    columns.py  the listed columns of each registry (Col, TABLES) and their labels
    values.py   a field's value as a person reads it: in a cell, on a row's page, in a file;
                rows of other registries named only when the user may view them (Lens)
    listing.py  the user's rows narrowed by search and filters, sorted, and the links that
                keep the query (sort headers, pages, filter chips)
    detail.py   a row's page: its fields, badges, links and the rows that refer to it
    export.py   the CSV/XLSX file of the listed rows, shared with the API

Rows come only from `scoped` and `get_scoped_or_404` (or `restrict`). A value that names a row
of another registry (a system's unit, a certificate's issuing organ) is shown and linked only
when the user may view that row too; otherwise the page says it lies outside the account's
scope, since the row's name is itself part of the row.
"""
