"""A Tree whose labels end in an ellipsis when the pane is too narrow.

Tree would otherwise scroll sideways and cut names mid-character with no
sign that anything is missing.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode


class FittedTree(Tree):
    _fitted_width = -1

    def render_line(self, y: int) -> Strip:
        # Tree caches rendered lines by its virtual width, which does not change
        # when a scrollbar appears and narrows the room: drop labels fitted to
        # another width, or they are cut without their ellipsis
        width = self.scrollable_content_region.width
        if width != self._fitted_width:
            self._fitted_width = width
            self._clear_line_cache()
        return super().render_line(y)

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
