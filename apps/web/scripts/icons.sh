#!/usr/bin/env bash
# Renders the app's PNG icons (public/) from the SVGs; the PNGs are committed, so only a change of
# icon needs this. Needs rsvg-convert (Debian: apt-get install librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/.."
rsvg-convert -w 192 -h 192 public/favicon.svg -o public/icon-192.png
rsvg-convert -w 512 -h 512 public/favicon.svg -o public/icon-512.png
# Maskable: full-bleed background, the flame inside the central safe circle (80% of the width).
rsvg-convert -w 512 -h 512 icons/maskable.svg -o public/icon-maskable-512.png
rsvg-convert -w 180 -h 180 icons/maskable.svg -o public/apple-touch-icon.png
