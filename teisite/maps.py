"""The map of places: a region cut from the shipped Natural Earth data (assets/map/), projected and
written as SVG at build time, so that the site draws its base map without fetching anything."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

MAP_DIR = Path(__file__).parent / "templates" / "assets" / "map"
WIDTH = 1000.0  # the SVG's user units across


@lru_cache(maxsize=1)
def _topology() -> tuple[dict, list[list[tuple[float, float]]]]:
    """The TopoJSON's objects and its arcs, decoded to (lon, lat) points."""
    data = json.loads((MAP_DIR / "world_50m.json").read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    arcs = []
    for arc in data["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return data["objects"], arcs


def labels() -> list[dict]:
    return yaml.safe_load((MAP_DIR / "labels.yml").read_text(encoding="utf-8")) or []


def _line(arc_ids: list[int], arcs) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in arc_ids:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(points[1:] if out else points)
    return out


def _lines(geom: dict, arcs):
    t = geom.get("type")
    if t == "LineString":
        yield _line(geom["arcs"], arcs)
    elif t == "MultiLineString":
        for a in geom["arcs"]:
            yield _line(a, arcs)
    elif t == "Polygon":
        for ring in geom["arcs"]:
            yield _line(ring, arcs)
    elif t == "MultiPolygon":
        for polygon in geom["arcs"]:
            for ring in polygon:
                yield _line(ring, arcs)


def _clip_ring(ring, box):
    """Sutherland–Hodgman: the ring cut to the box (west, south, east, north)."""
    west, south, east, north = box
    edges = [(lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
             (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
             (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
             (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north))]
    points = list(ring)
    for inside, cross in edges:
        if not points:
            break
        out = []
        prev = points[-1]
        for p in points:
            if inside(p):
                if not inside(prev):
                    out.append(cross(prev, p))
                out.append(p)
            elif inside(prev):
                out.append(cross(prev, p))
            prev = p
        points = out
    return points


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _clip_line(line, box):
    """The runs of a line inside the box, each with one point beyond it at either end."""
    west, south, east, north = box
    runs, run = [], []
    for i, p in enumerate(line):
        if west <= p[0] <= east and south <= p[1] <= north:
            if not run and i:
                run.append(line[i - 1])
            run.append(p)
        elif run:
            run.append(p)
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [r for r in runs if len(r) > 1]


@dataclass(frozen=True)
class MapView:
    """The region of a map (degrees) and its equirectangular projection, scaled by the cosine of
    its middle latitude so that shapes keep their proportions there."""

    west: float
    south: float
    east: float
    north: float

    @property
    def kx(self) -> float:
        return WIDTH / (self.east - self.west)

    @property
    def ky(self) -> float:
        return self.kx / math.cos(math.radians((self.south + self.north) / 2))

    @property
    def height(self) -> float:
        return round((self.north - self.south) * self.ky, 1)

    @property
    def width(self) -> float:
        return WIDTH

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return round((lon - self.west) * self.kx, 1), round((self.north - lat) * self.ky, 1)

    def path(self, lines, closed: bool) -> str:
        parts = []
        for line in lines:
            pts, last = [], None
            for lon, lat in line:
                p = self.xy(lat, lon)
                if p != last:
                    pts.append(p)
                    last = p
            if len(pts) < 2:
                continue
            parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in pts) + ("Z" if closed else ""))
        return "".join(parts)


def view_of(points: list[tuple[float, float]]) -> MapView | None:
    """A region around the (lat, lon) points, with a margin, at least 8° high."""
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    pad_lat = max((north - south) * 0.15, 4 - (north - south) / 2, 1.0)
    pad_lon = max((east - west) * 0.1, 6 - (east - west) / 2, 1.5)
    return MapView(max(west - pad_lon, -180), max(south - pad_lat, -85),
                   min(east + pad_lon, 180), min(north + pad_lat, 85))


def base_svg(view: MapView, borders: bool = False) -> str:
    """The base map of the view as a standalone SVG: water, land, lakes, rivers and coastlines; or,
    with `borders`, only the modern countries' borders (a layer the reader switches on)."""
    objects, arcs = _topology()
    margin = 1.0
    box = (view.west - margin, view.south - margin, view.east + margin, view.north + margin)

    def polygons(name):
        rings = (_clip_ring(r, box) for g in objects[name]["geometries"] for r in _lines(g, arcs))
        return view.path([r for r in rings if len(r) > 2], closed=True)

    def lines(name):
        return view.path([run for g in objects[name]["geometries"] for line in _lines(g, arcs)
                          for run in _clip_line(line, box)], closed=False)

    w, h = f"{view.width:g}", f"{view.height:g}"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">')
    if borders:
        return (head + f'<path d="{lines("countries")}" fill="none" stroke="#8a5a8a" '
                'stroke-width="0.9" stroke-dasharray="4 2" vector-effect="non-scaling-stroke"/></svg>\n')
    return (head + f'<rect width="{w}" height="{h}" fill="#d7e6ef"/>'
            f'<path d="{polygons("land")}" fill="#f3efe4" fill-rule="evenodd"/>'
            f'<path d="{polygons("lakes")}" fill="#b6d3e6" stroke="#5f8fb0" stroke-width="0.6" '
            'fill-rule="evenodd" vector-effect="non-scaling-stroke"/>'
            f'<path d="{lines("rivers")}" fill="none" stroke="#4f86b0" stroke-width="1.3" '
            'stroke-linejoin="round" vector-effect="non-scaling-stroke"/>'
            f'<path d="{lines("coastlines")}" fill="none" stroke="#6f8fa6" stroke-width="0.8" '
            'vector-effect="non-scaling-stroke"/></svg>\n')


def dms(value: float, positive: str, negative: str) -> str:
    """A coordinate in degrees and minutes: 53°23′ N."""
    minutes = round(abs(value) * 60)
    return f"{minutes // 60}°{minutes % 60:02d}′ {positive if value >= 0 else negative}"


def focus_box(view: MapView, points: list[tuple[float, float]],
              aspect: float = 1.6) -> tuple[float, float, float, float]:
    """Where the map opens (x, y, width, height in map units): around most places, leaving out
    those far from the rest (Moscow on a map of the Amur), which the whole map still shows."""
    if not points:
        return 0, 0, view.width, view.height
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    mid = (lats[len(lats) // 2], lons[len(lons) // 2])
    dist = sorted(math.hypot(p[0] - mid[0], p[1] - mid[1]) for p in points)
    limit = max(3 * dist[len(dist) // 2], 10)
    near = [p for p in points if math.hypot(p[0] - mid[0], p[1] - mid[1]) <= limit]
    sub = view_of(near)
    x0, y0 = view.xy(sub.north, sub.west)
    x1, y1 = view.xy(sub.south, sub.east)
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, view.width), min(y1, view.height)
    w, h = x1 - x0, y1 - y0
    # the frame's proportions (teisite.css: 16 / 10)
    if w / h > aspect:
        h2 = w / aspect
        y0, h = y0 - (h2 - h) / 2, h2
    else:
        w2 = h * aspect
        x0, w = x0 - (w2 - w) / 2, w2
    return round(x0, 1), round(y0, 1), round(w, 1), round(h, 1)
