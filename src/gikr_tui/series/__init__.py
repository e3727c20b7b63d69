"""An agency across the years, and a folder as a whole.

    record      the compact per-report record cross-report work needs (made in the worker)
    similarity  how alike two sections are, and a paragraph diff (what changed, marked)
    agency      agency names: normalised, region prefixes, grouping
    collect     a run's records gathered with flat memory; pairing, notes, the series checks
    summary     key figures per report, per agency, per year
    compare     two reports side by side

The checks themselves (`carry_over`, `t2_stock`, `repeated_text`) live with
every other check, in `gikr_tui.checks.series`.
"""
