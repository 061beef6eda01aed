#!/usr/bin/env python3
"""flamegraph.py — turns `perf script` output into a flame graph (SVG), with no other tools.

    perf record -F 999 -g -o perf.data -- <program>
    perf script -i perf.data | scripts/flamegraph.py --title "users-10k" > flame.svg

Each sample's call stack becomes one column of boxes, the caller below its callees; a box's width
is its share of the samples. Frames without a symbol are named after their object file. Hover a
box (in a browser) for its full name, samples and share. `--folded` prints the folded stacks
("a;b;c count" lines) instead of the picture, for comparing two runs with a text tool.
"""
import argparse
import hashlib
import html
import re
import sys

FRAME_HEIGHT = 16
FONT_SIZE = 11
CHAR_WIDTH = FONT_SIZE * 0.59  # average glyph width of a sans-serif font at FONT_SIZE
MARGIN = 10
TITLE_HEIGHT = 30


def frame_name(line):
    """The function a `perf script` frame line names ('addr symbol+0xoff (object)')."""
    parts = line.strip().split(" ", 1)
    if len(parts) < 2:
        return "[unknown]"
    rest = parts[1]
    match = re.match(r"^(.*?)(?:\+0x[0-9a-f]+)? \((.*)\)$", rest)
    if not match:
        return rest
    symbol, dso = match.group(1), match.group(2)
    if symbol in ("[unknown]", ""):
        object_name = dso.rsplit("/", 1)[-1]
        return object_name if object_name.startswith("[") else "[" + object_name + "]"
    return symbol


def folded_stacks(lines):
    """Counts each distinct stack (root first) over the samples of a `perf script` listing."""
    counts = {}
    header, frames = None, []

    def finish():
        if header is not None and frames:
            thread = header.split()[0] if header.split() else "?"
            stack = ";".join([thread] + list(reversed(frames)))
            counts[stack] = counts.get(stack, 0) + 1

    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            finish()
            header, frames = None, []
        elif line[0] in " \t":
            frames.append(frame_name(line))
        else:
            finish()
            header, frames = line, []
    finish()
    return counts


def build_tree(counts):
    """A nested {name: [samples, children]} tree from folded stacks."""
    root = [0, {}]
    for stack, count in counts.items():
        root[0] += count
        node = root
        for name in stack.split(";"):
            child = node[1].setdefault(name, [0, {}])
            child[0] += count
            node = child
    return root


def colour(name):
    """A stable warm colour per function name, as flame graphs use."""
    digest = hashlib.md5(name.encode()).digest()
    return "rgb({},{},{})".format(205 + digest[0] % 50, 80 + digest[1] % 130, digest[2] % 60)


def render(root, title, width):
    total = root[0]
    boxes = []
    depth_max = 0

    def walk(node_children, x, depth):
        nonlocal depth_max
        for name in sorted(node_children):
            samples, children = node_children[name]
            box_width = (width - 2 * MARGIN) * samples / total
            if box_width >= 1.0:  # narrower boxes are invisible; leaving them out keeps files small
                boxes.append((name, samples, x, depth, box_width))
                depth_max = max(depth_max, depth)
                walk(children, x, depth + 1)
            x += box_width

    walk(root[1], MARGIN, 0)
    height = TITLE_HEIGHT + (depth_max + 1) * FRAME_HEIGHT + 2 * MARGIN
    out = [
        '<?xml version="1.0" standalone="no"?>',
        '<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" '
        'font-family="Verdana, sans-serif" font-size="{}">'.format(width, height, FONT_SIZE),
        '<rect x="0" y="0" width="100%" height="100%" fill="#fdfdf5"/>',
        '<text x="{}" y="20" text-anchor="middle" font-size="15">{} ({} samples)</text>'.format(
            width / 2, html.escape(title), total),
    ]
    for name, samples, x, depth, box_width in boxes:
        y = height - MARGIN - (depth + 1) * FRAME_HEIGHT
        share = 100.0 * samples / total
        label = html.escape(name)
        out.append('<g><title>{} ({} samples, {:.2f}%)</title>'.format(label, samples, share))
        out.append('<rect x="{:.1f}" y="{}" width="{:.1f}" height="{}" fill="{}" rx="1"/>'.format(
            x, y, box_width, FRAME_HEIGHT - 1, colour(name)))
        fits = int((box_width - 4) / CHAR_WIDTH)
        if fits >= 3:
            text = name if len(name) <= fits else name[: fits - 2] + ".."
            out.append('<text x="{:.1f}" y="{}">{}</text>'.format(
                x + 2, y + FRAME_HEIGHT - 4, html.escape(text)))
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--title", default="Flame graph")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--folded", action="store_true", help="print folded stacks, not SVG")
    arguments = parser.parse_args()
    counts = folded_stacks(sys.stdin)
    if not counts:
        sys.exit("flamegraph.py: no samples with call stacks on stdin (perf record -g?)")
    if arguments.folded:
        for stack, count in sorted(counts.items()):
            print(stack, count)
        return
    sys.stdout.write(render(build_tree(counts), arguments.title, arguments.width))


if __name__ == "__main__":
    main()
