#!/usr/bin/env bash
# Set up jianbao on Debian 12 (idempotent): system libraries and fonts,
# then a virtualenv in .venv with the Python packages.
#
#   bash scripts/setup.sh          what building needs
#   bash scripts/setup.sh --test   plus what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# WeasyPrint needs Pango; libharfbuzz-subset0 makes CJK font subsetting ~40x faster.
packages=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
          fonts-noto-cjk fonts-lxgw-wenkai fonts-liberation fontconfig
          libgs-common)  # libgs-common: the CMYK profile of --pdf-variant pdf/x-4 (317 KB)
if [[ $want_test -eq 1 ]]; then
  packages+=(poppler-utils chromium)  # chromium: browser tests (driven by Playwright's Python package)
  # The web checks: axe-core and the Nu HTML Checker come from npm (tests/node/), the checker runs on Java.
  command -v java >/dev/null || packages+=(default-jre-headless)
  command -v npm >/dev/null || packages+=(nodejs npm)
  packages+=(ghostscript mupdf-tools)  # tests/renderers.py: every page must draw the same in gs and MuPDF
  packages+=(libreoffice-writer-nogui)  # tests/test_docx_render.py: LibreOffice draws each Word edition
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "==> 安装系统软件包：${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# FandolFang (仿宋) ships only inside Debian's texlive-lang-chinese, which
# pulls in ~400 MB of TeX. Download that one package and keep its four
# Fandol OpenType files (34 MB) instead.
fandol_dir=/usr/local/share/fonts/fandol
if [[ ! -f "$fandol_dir/FandolFang-Regular.otf" ]]; then
  echo "==> 安装 Fandol 字体（仿宋、楷体、宋体、黑体）"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1 \
     || { as_root apt-get update -qq && apt-get download texlive-lang-chinese >/dev/null; })
  dpkg-deb -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
  as_root mkdir -p "$fandol_dir"
  as_root cp "$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Kai,Song,Hei}-*.otf "$fandol_dir/"
  rm -rf "$tmp"
  as_root fc-cache -f >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "==> 创建 Python 虚拟环境 .venv"
  python3 -m venv .venv
fi
# The Python packages, again only when pyproject.toml changed since the last install into this .venv: the stamp
# holds its digest and the extra installed ("[test]" includes what a plain install needs). Delete
# .venv/.jianbao-installed to install again anyway.
extra=""
[[ $want_test -eq 1 ]] && extra="[test]"
stamp=.venv/.jianbao-installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
installed=$(cat "$stamp" 2>/dev/null || true)
if [[ "$installed" != "$wanted [test]" && "$installed" != "$wanted $extra" ]]; then
  echo "==> 安装 Python 依赖"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}"
  echo "$wanted $extra" > "$stamp"
fi

# CID-keyed OpenType fonts must have glyph i as CID i, or Ghostscript and MuPDF print boxes or
# nothing (scripts/compact_fonts.py explains). Fonts made or fixed here carry a stamp with the
# script's version: a machine set up by an older script gets its fonts remade on the next run.
font_version=$(.venv/bin/python scripts/compact_fonts.py --version)

# Fandol as shipped numbers its glyphs apart from their CIDs from glyph 8,896 on (¥, –, €, box drawing…).
if [[ "$(cat "$fandol_dir/.jianbao-version" 2>/dev/null)" != "$font_version" ]]; then
  echo "==> 校正 Fandol 字体的字形编号（CID）"
  tmp=$(mktemp -d)
  cp "$fandol_dir"/Fandol*.otf "$tmp/"
  .venv/bin/python scripts/compact_fonts.py --identity --no-backup "$tmp"/*.otf >/dev/null
  as_root cp "$tmp"/*.otf "$fandol_dir/"
  echo "$font_version" > "$tmp/.jianbao-version" && as_root cp "$tmp/.jianbao-version" "$fandol_dir/"
  rm -rf "$tmp"
  as_root fc-cache -f >/dev/null
fi

# Compact GB 2312 faces of Noto Sans/Serif CJK SC: PDFs half the size and ~60 ms faster each
# (see scripts/compact_fonts.py). Made from the installed fonts, with fontTools.
compact_dir=/usr/local/share/fonts/jianbao
if [[ ! -f "$compact_dir/NotoSerifCJKsc-GB2312-Bold.otf" \
      || "$(cat "$compact_dir/.jianbao-version" 2>/dev/null)" != "$font_version" ]]; then
  echo "==> 生成精简版黑体、标题字体（GB 2312，约 1 分钟，只需一次）"
  tmp=$(mktemp -d)
  .venv/bin/python scripts/compact_fonts.py "$tmp" >/dev/null
  echo "$font_version" > "$tmp/.jianbao-version"
  as_root mkdir -p "$compact_dir"
  as_root cp "$tmp"/*.otf "$tmp/.jianbao-version" "$compact_dir/"
  rm -rf "$tmp"
  as_root fc-cache -f >/dev/null
fi
# Word loads embedded fonts with TrueType outlines only: TrueType twins of the CFF faces the Word edition
# embeds (jianbao/docx/twins.py; about two minutes, once; outside fontconfig's folders, so PDFs never use them).
as_root .venv/bin/python -m jianbao.docx.twins /usr/local/share/jianbao/truetype

# The web and OFD checkers, again only when tests/node/package-lock.json changed (npm ci empties node_modules
# first, so a failed install leaves no stamp and is tried again).
# ofd.js 0.2.6 (Apache-2.0, pinned in tests/node/package.json): the OFD reader the tests draw each OFD edition with.
node_stamp=tests/node/node_modules/.jianbao-lock
if [[ $want_test -eq 1 && "$(cat "$node_stamp" 2>/dev/null)" != "$(sha256sum tests/node/package-lock.json | cut -d' ' -f1)" ]]; then
  echo "==> 安装网页和 OFD 检查工具（axe-core、Nu HTML Checker、ofd.js，装在 tests/node/）"
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  sha256sum tests/node/package-lock.json | cut -d' ' -f1 > "$node_stamp"
fi
echo "==> 环境就绪"
