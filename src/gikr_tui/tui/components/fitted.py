"""A Tree whose labels end in an ellipsis when the pane is too narrow.

Tree would otherwise scroll sideways and cut names mid-character with no
sign that anything is missing.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode



def _text_key(text: Text) -> tuple:
    return text.plain, text.style, tuple(text.spans)


class FittedTree(Tree):
    _fitted_width = -1

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Tree keys its line cache by a counter that every added node bumps: opening
        # another report (the same sections, the same marks, most of the time)
        # rendered every line again, 5-10 ms of each key that opened one.  Keyed by
        # what the line shows, a line drawn before is drawn from here.
        self._shown_lines: LRUCache[tuple, Strip] = LRUCache(96)  # (a pane of lines, with and without the cursor)

    def _invalidate(self) -> None:
        # Tree asks for a layout of the whole screen each time a node is added, expanded or
        # cleared (~8 times for one report's sections).  Its lines are counted when next drawn,
        # and a count that changes (its virtual size) lays the screen out then: when it does not
        # (another report with the same sections), a repaint is all it needs.  (Not a
        # SteadyScrollView: its labels are fitted to the width beside its scrollbar, so a
        # scrollbar that comes changes its width, and without Textual's layout in between the
        # two chased each other, frame after frame.)
        self._clear_line_cache()
        self._updates += 1
        self.root._reset()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        # Tree caches rendered lines by its virtual width, which does not change
        # when a scrollbar appears and narrows the room: drop labels fitted to
        # another width, or they are cut without their ellipsis
        width = self.scrollable_content_region.width
        if width != self._fitted_width:
            self._fitted_width = width
            self._clear_line_cache()
        return super().render_line(y)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        lines = self._tree_lines
        if y >= len(lines):
            return super()._render_line(y, x1, x2, base_style)
        line = lines[y]
        key = (
            y, x1, x2, base_style, self.size.width, self.virtual_size.width, self._fitted_width,
            self._pseudo_class_state, self.has_focus, self.cursor_line == y, self.hover_line == y,
            self.show_guides, self.guide_depth, self.show_root, line.last, line.node._id,
            tuple((_text_key(node._label), node._allow_expand, node._expanded, node.is_last, node._hover, node._selected)
                  for node in line.path),
        )
        strip = self._shown_lines.get(key)
        if strip is None:
            strip = self._shown_lines[key] = super()._render_line(y, x1, x2, base_style)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._shown_lines.clear()  # (a theme's colours are not in the key)

    def render_label(self, node: TreeNode, base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        width = self.scrollable_content_region.width
        if width <= 0:
            return label
        depth = 0
        parent = node.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        if not self.show_root:
            depth -= 1
        room = max(4, width - max(0, depth) * self.guide_depth)
        if label.cell_len > room:
            label.truncate(room, overflow="ellipsis")
        return label
