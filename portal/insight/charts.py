"""Charts drawn on the server as SVG with pygal: no JavaScript, and every chart's figures are also
in a table and a sentence on its page (a chart is an extra, never the only way to read a figure)."""
from __future__ import annotations

import sys

import pygal
from pygal.style import Style

from ..services.insight import Costs, Signals
from ..states import Kind
from ..template_helpers import kind_name

# pygal puts an import hook for its map plugins on sys.meta_path that lacks `find_spec`, so every
# later import that reaches it warns (an error in our tests). We draw no maps: take it off again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

# The portal's colours, with contrast enough against white for text and bars alike.
STYLE = Style(background="white", plot_background="white", foreground="#0b0c0c", foreground_strong="#0b0c0c",
              foreground_subtle="#505a5f", colors=("#1d70b8", "#00703c", "#6f3092", "#d4351c"),
              font_family="Arial, sans-serif", label_font_size=14, major_label_font_size=14,
              legend_font_size=14, title_font_size=16)


def _chart(kind, title: str, labels: list[str]):
    chart = kind(style=STYLE, disable_xml_declaration=False, js=[], width=800, height=320,
                 legend_at_bottom=True, show_legend=True, print_values=False, truncate_label=-1,
                 x_label_rotation=0 if len(labels) <= 8 else 30)
    chart.title = title
    chart.x_labels = labels
    return chart


def signals_svg(signals: Signals, title: str) -> bytes:
    chart = _chart(pygal.StackedBar, title, [label for label, _counts in signals.by_bucket])
    for kind in Kind:
        chart.add(kind_name(kind), [counts[kind] for _label, counts in signals.by_bucket])
    return chart.render()


def costs_svg(costs: Costs, title: str, offered: str, accepted: str) -> bytes:
    chart = _chart(pygal.Bar, title, [label for label, _money in costs.by_bucket])
    chart.add(offered, [money.offered / 100 for _label, money in costs.by_bucket])
    chart.add(accepted, [money.accepted / 100 for _label, money in costs.by_bucket])
    return chart.render()
