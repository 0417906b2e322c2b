"""The trend chart's geometry, computed here so the template only draws (an SVG, no script)."""

from django.utils import formats
from django.utils.translation import gettext as _

WIDTH = 800
HEIGHT = 200


def _bar_label(row):
    return _("%(date)s: %(searches)s searches, %(failed)s without results (%(rate)s%%)") % {
        "date": formats.date_format(row["date"]),
        "searches": row["searches"],
        "failed": row["failed"],
        "rate": round(row["failure_rate"] * 100),
    }


def trend_chart(rows):
    """Bars of searches per day with their failed part, and a line for the failure rate."""
    peak = max((row["searches"] for row in rows), default=0)
    if not peak:
        return None
    step = WIDTH / len(rows)
    bars, points = [], []
    for i, row in enumerate(rows):
        height = row["searches"] / peak * HEIGHT
        failed = row["failed"] / peak * HEIGHT
        x = i * step
        bars.append(
            {
                "x": round(x + step * 0.1, 2),
                "width": round(max(step * 0.8, 0.5), 2),
                "y": round(HEIGHT - height, 2),
                "height": round(height, 2),
                "failed_y": round(HEIGHT - failed, 2),
                "failed_height": round(failed, 2),
                "label": _bar_label(row),
            }
        )
        points.append(f"{x + step / 2:.2f},{HEIGHT - row['failure_rate'] * HEIGHT:.2f}")
    total = sum(row["searches"] for row in rows)
    failed = sum(row["failed"] for row in rows)
    busiest = max(rows, key=lambda row: row["searches"])
    summary = _(
        "%(total)s searches from %(start)s to %(end)s, %(rate)s%% without results. "
        "Busiest day: %(day)s with %(peak)s searches."
    ) % {
        "total": total,
        "start": formats.date_format(rows[0]["date"]),
        "end": formats.date_format(rows[-1]["date"]),
        "rate": round(failed / total * 100),
        "day": formats.date_format(busiest["date"]),
        "peak": peak,
    }
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "rate_points": " ".join(points),
        "peak": peak,
        "summary": summary,
    }
