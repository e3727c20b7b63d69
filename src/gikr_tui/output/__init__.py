"""The outputs: results rendered for people (tables) and for programs (jsonl, csv).

The cache stores results as data; the commands run, then hand what they got to
these modules, and so does the inspector where it shows the same words.
Nothing here reads a file or runs a check.

    words.py          the words and styles every output shares: a status, a format, a rule, a quote's place
    lines.py          lines to a console, and a cell fitted to its width
    table.py          `gikr check`'s table, one line per file as results arrive
    summary_table.py  `gikr summary`'s table: report rows, then totals per agency and per year
    compare_table.py  `gikr compare`'s table: tables 2–4 cell by cell, findings, each section's diff
    jsonl.py          the jsonl records (a report, a series line, a summary row, a comparison)
    csv.py            the csv rows (`gikr check`, `gikr summary`)

Nothing is imported here: a command loads only the outputs it writes.
"""
