"""Protective limits: each one named in the error when it is hit.

Real reports are a few hundred KB with tables of under a hundred rows, so
every limit is far above anything genuine; they exist so that a hostile or
broken file costs seconds, not the machine.  The PDF page limit and the DOCX
decompressed-size limit live in their readers.
"""

from __future__ import annotations

from .errors import LimitExceeded
from .model import Document, Table
from .msg import msg

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TABLE_ROWS = 20_000  # one table
MAX_TABLE_CELLS = 200_000  # all tables of one document together
# One row: the interpreter tries every placement of a row's values, so its
# cost grows with the row's width; a template row has under 20 cells.
MAX_ROW_CELLS = 5_000
MAX_BLOCKS = 200_000  # paragraphs and tables


def too_many_rows(rows: int | None = None) -> LimitExceeded:
    if rows is None:  # a reader stopping early does not know the final count
        return LimitExceeded(msg("table has more than {limit} rows, over the table-row limit of {limit}", limit=MAX_TABLE_ROWS))
    return LimitExceeded(msg("table has {rows} rows, over the table-row limit of {limit}", rows=rows, limit=MAX_TABLE_ROWS))


def too_wide(cells: int | None = None) -> LimitExceeded:
    if cells is None:
        return LimitExceeded(msg("a table row has more than {limit} cells, over the row-width limit of {limit}",
                                 limit=MAX_ROW_CELLS))
    return LimitExceeded(msg("a table row has {cells} cells, over the row-width limit of {limit}",
                             cells=cells, limit=MAX_ROW_CELLS))


def too_many_cells(cells: int | None = None) -> LimitExceeded:
    if cells is None:
        return LimitExceeded(msg("tables hold more than {limit} cells, over the cell limit of {limit}", limit=MAX_TABLE_CELLS))
    return LimitExceeded(msg("tables hold {cells} cells, over the cell limit of {limit}", cells=cells, limit=MAX_TABLE_CELLS))


def too_many_blocks(blocks: int | None = None) -> LimitExceeded:
    if blocks is None:
        return LimitExceeded(msg("document has more than {limit} paragraphs and tables, over the block limit of {limit}",
                                 limit=MAX_BLOCKS))
    return LimitExceeded(msg("document has {blocks} paragraphs and tables, over the block limit of {limit}",
                             blocks=blocks, limit=MAX_BLOCKS))


def check_limits(doc: Document) -> None:
    """Refuse a document too big to interpret quickly, naming the limit."""
    if len(doc.blocks) > MAX_BLOCKS:
        raise too_many_blocks(len(doc.blocks))
    cells = 0
    for block in doc.blocks:
        if isinstance(block, Table):
            if len(block.rows) > MAX_TABLE_ROWS:
                raise too_many_rows(len(block.rows))
            for row in block.rows:
                if len(row) > MAX_ROW_CELLS:
                    raise too_wide(len(row))
                cells += len(row)
    if cells > MAX_TABLE_CELLS:
        raise too_many_cells(cells)
