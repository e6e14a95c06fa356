#!/usr/bin/env python3
"""Opens every page of a built CostDefender site in headless Chromium and checks it as a reader
would see it.

For every *.html file under --root, at 1280 px and at 800 px wide:
  - no console error, page error or failed request while the page loads;
  - every href/src inside the site names an existing file, and every #fragment an existing id
    (external links are listed, not fetched: the check runs offline);
  - every <img> loaded (natural size > 0) and has alt text;
  - every inline SVG chart has a visible box of at least 40 x 16 px inside the page width and a
    text alternative (role="img" and a non-empty aria-label, aria-labelledby or <title>);
  - the page does not scroll sideways, every table's box lies within the page, and at 1280 px no
    table needs to scroll inside its own box (at 800 px a wide table scrolls in its own box,
    which is part of the layout; those are counted);
  - laid out for print (print media, the width of a landscape Letter page less margins), no table
    or chart is wider than the paper;
  - every visible text element passes WCAG 2.x AA contrast: computed text colour (HTML `color`,
    SVG `fill`, with opacity) against the effective background behind it (the stacked
    background colours of its ancestors; for SVG text, the chart shapes painted under it),
    4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
Screenshots of the first screen of each period's report at both widths go to --screenshots.
Exits 0 when every check passes, 1 otherwise; prints what it measured either way.

Needs Playwright (pip) and a Chromium (Debian's `chromium` package): --chromium or
COSTDEFENDER_CHROMIUM, default /usr/bin/chromium.
"""
import argparse
import html.parser
import json
import os
import sys
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = (1280, 800)
SCREEN_HEIGHT = 800
# The printable width of the narrowest common landscape page, US Letter (279.4 mm) less the print
# stylesheet's 12 mm side margins, in CSS px (96 per inch): what the PDF lays pages out at.
PRINT_WIDTH = int((279.4 - 2 * 12) / 25.4 * 96)
MIN_CHART_WIDTH, MIN_CHART_HEIGHT = 40, 16

# Runs in the page; returns everything the checks need as plain JSON.
MEASURE_JS = r"""
(contrast) => {
  const vw = document.documentElement.clientWidth;
  const parse = (s) => {
    if (!s) return null;
    let m = s.match(/^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/);
    if (m) {
      let a = m[4] === undefined ? 1 : (m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]));
      return [parseFloat(m[1]), parseFloat(m[2]), parseFloat(m[3]), a];
    }
    m = s.match(/^#([0-9a-f]{6})$/i);
    if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16), 1];
    return null;
  };
  const over = (top, bottom) => {          // `top` (with alpha) composited over opaque `bottom`
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const hex = (c) => '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = el.getAttribute('class');
    if (cls) s += '.' + cls.trim().split(/\s+/).join('.');
    const p = el.parentElement;
    return (p ? p.tagName.toLowerCase() + ' > ' : '') + s;
  };
  const problems = [];
  const opacityOf = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity); return o; };
  // The background behind an HTML element: ancestors' background colours over the white canvas.
  const htmlBackground = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage && cs.backgroundImage !== 'none') return { unknown: 'background-image on ' + describe(e) };
      const c = parse(cs.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return { colour: bg };
  };
  const SHAPES = new Set(['rect', 'path', 'circle', 'ellipse', 'polygon']);
  // The background behind a point of an SVG text: the filled shapes painted under it, over the
  // chart's own HTML background.
  const svgBackground = (text, svg, x, y) => {
    const base = htmlBackground(svg);
    if (base.unknown) return base;
    const layers = [];
    for (const e of document.elementsFromPoint(x, y)) {
      if (e === svg) break;
      if (!svg.contains(e) || !SHAPES.has(e.tagName.toLowerCase())) continue;
      const cs = getComputedStyle(e);
      if (cs.fill === 'none') continue;
      const c = parse(cs.fill);
      if (!c) return { unknown: 'fill ' + cs.fill + ' on ' + describe(e) };
      c[3] *= parseFloat(cs.fillOpacity) * opacityOf(e) / opacityOf(svg);
      layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = base.colour;
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return { colour: bg };
  };
  const visible = (el) => {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  // Contrast of every visible element with its own text.
  let textChecked = 0, minRatio = Infinity, minAt = null;
  for (const el of contrast ? document.body.querySelectorAll('*') : []) {
    const tag = el.tagName.toLowerCase();
    const inSvg = el instanceof SVGElement;
    if (inSvg && tag !== 'text' && tag !== 'tspan') continue;
    if (['script', 'style', 'title', 'desc'].includes(tag)) continue;
    const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!own || !visible(el)) continue;
    const cs = getComputedStyle(el);
    let fg = parse(inSvg ? cs.fill : cs.color);
    if (!fg) { problems.push({ check: 'contrast', what: describe(el), detail: 'unreadable text colour ' + (inSvg ? cs.fill : cs.color) }); continue; }
    fg[3] *= opacityOf(el) * (inSvg ? parseFloat(cs.fillOpacity) : 1);
    let px = parseFloat(cs.fontSize);
    const bold = parseInt(cs.fontWeight, 10) >= 700;
    const samples = [];
    if (inSvg) {
      const svg = el.ownerSVGElement;
      const ctm = svg.getScreenCTM();
      if (ctm) px *= Math.hypot(ctm.a, ctm.b);
      const r = el.getBoundingClientRect();
      for (const fx of [0.1, 0.5, 0.9]) {
        const b = svgBackground(el, svg, r.left + r.width * fx, r.top + r.height / 2);
        if (b.unknown) { problems.push({ check: 'contrast', what: describe(el), detail: 'background not measurable: ' + b.unknown }); continue; }
        samples.push(b.colour);
      }
    } else {
      const b = htmlBackground(el);
      if (b.unknown) { problems.push({ check: 'contrast', what: describe(el), detail: 'background not measurable: ' + b.unknown }); continue; }
      samples.push(b.colour);
    }
    const large = px >= 24 || (bold && px >= 18.66);
    const need = large ? 3 : 4.5;
    for (const bg of samples) {
      const shown = over(fg, bg);
      const r = ratio(shown, bg);
      textChecked++;
      if (r < minRatio) { minRatio = r; minAt = describe(el) + ' ' + hex(shown) + ' on ' + hex(bg); }
      if (r < need) {
        problems.push({ check: 'contrast', what: describe(el) + ' "' + own.slice(0, 40) + '"',
                        detail: `${hex(shown)} on ${hex(bg)} is ${r.toFixed(2)}:1, needs ${need}:1 (${px.toFixed(1)} px${bold ? ' bold' : ''})` });
        break;
      }
    }
  }

  // Charts: every outermost inline <svg>.
  const charts = [];
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.parentElement && svg.parentElement.closest('svg')) continue;
    const r = svg.getBoundingClientRect();
    let name = (svg.getAttribute('aria-label') || '').trim();
    const ids = (svg.getAttribute('aria-labelledby') || '').trim().split(/\s+/).filter(Boolean);
    const missing = ids.filter(id => !document.getElementById(id));
    if (!name && ids.length) name = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
    if (!name) { const t = svg.querySelector(':scope > title'); if (t) name = t.textContent.trim(); }
    // A chart in a table that scrolls in its own box is reached by scrolling that box.
    const scroller = svg.closest('table');
    const inScroller = !!scroller && ['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX) && scroller.scrollWidth > scroller.clientWidth + 1;
    charts.push({ what: describe(svg), role: svg.getAttribute('role'), name: name, missingIds: missing, inScroller,
                  visible: visible(svg), width: r.width, height: r.height, left: r.left + scrollX, right: r.right + scrollX });
  }

  // Tables: their boxes and whether they scroll inside.
  const tables = Array.from(document.querySelectorAll('table')).map(t => {
    const r = t.getBoundingClientRect();
    let e = t.previousElementSibling;
    while (e && !/^H[1-6]$/.test(e.tagName)) e = e.previousElementSibling;
    const caption = e ? e.textContent.trim().slice(0, 60) : '';
    return { after: caption, left: r.left + scrollX, right: r.right + scrollX, scrollWidth: t.scrollWidth, clientWidth: t.clientWidth };
  });

  // Links and sources, resolved against the page.
  const refs = [];
  for (const el of document.querySelectorAll('[href], [src]')) {
    for (const attr of ['href', 'src']) {
      const v = el.getAttribute(attr);
      if (v === null) continue;
      refs.push({ what: describe(el), attr: attr, raw: v, url: new URL(v, document.baseURI).href });
    }
  }
  const images = Array.from(document.images).map(i => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0, alt: i.getAttribute('alt') }));

  return { viewport: vw, scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth,
           textChecked, minRatio, minAt, problems, charts, tables, refs, images };
}
"""


class IdCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id" or (tag == "a" and k == "name"):
                self.ids.add(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", required=True, help="the built site (the folder holding index.html)")
    ap.add_argument("--screenshots", required=True, help="folder for the first-screen screenshots")
    ap.add_argument("--chromium", default=os.environ.get("COSTDEFENDER_CHROMIUM", "/usr/bin/chromium"))
    ap.add_argument("--report", help="also write every measurement as JSON to this file")
    args = ap.parse_args()

    root = Path(args.root).resolve()
    shots = Path(args.screenshots).resolve()
    shots.mkdir(parents=True, exist_ok=True)
    pages = sorted(root.rglob("*.html"))
    if not pages or not (root / "index.html").exists():
        print(f"no site at {root} (index.html missing)")
        return 1

    id_cache = {}

    def ids_of(path):
        if path not in id_cache:
            p = IdCollector()
            p.feed(path.read_text(encoding="utf-8"))
            id_cache[path] = p.ids
        return id_cache[path]

    failures = []
    external = set()
    stats = {"pages": len(pages), "links": 0, "images": 0, "charts": 0, "text_samples": 0, "tables": 0,
             "tables_scrolling_inside": {w: 0 for w in WIDTHS}, "screenshots": [], "min_contrast": None, "printed": 0}
    min_contrast = (float("inf"), None)

    def fail(page, width, check, what, detail):
        failures.append({"page": str(page.relative_to(root)), "width": width, "check": check, "what": what, "detail": detail})

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium)
        print(f"Chromium {browser.version} from {args.chromium}; {len(pages)} pages under {root}")
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": SCREEN_HEIGHT})
        page = context.new_page()
        events = []
        page.on("console", lambda m: events.append(("console error", m.text)) if m.type == "error" else None)
        page.on("pageerror", lambda e: events.append(("page error", str(e))))
        page.on("requestfailed", lambda r: events.append(("request failed", f"{r.url}: {r.failure}")))
        for path in pages:
            events.clear()
            page.set_viewport_size({"width": WIDTHS[0], "height": SCREEN_HEIGHT})
            page.goto(path.as_uri(), wait_until="load")
            for kind, text in events:
                fail(path, WIDTHS[0], "console", kind, text)
            is_report = path.name == "report.html" and path.parent.parent == root
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": SCREEN_HEIGHT})
                m = page.evaluate(MEASURE_JS, True)
                if m["viewport"] != width:
                    fail(path, width, "layout", "viewport", f"expected {width} px, the page has {m['viewport']} px")
                if m["scrollWidth"] > m["viewport"]:
                    fail(path, width, "width", "page", f"the page is {m['scrollWidth']} px wide in a {m['viewport']} px window (it scrolls sideways)")
                for t in m["tables"]:
                    if t["left"] < -0.5 or t["right"] > m["viewport"] + 0.5:
                        fail(path, width, "width", f"table after “{t['after']}”", f"spans {t['left']:.0f}–{t['right']:.0f} px in a {m['viewport']} px window")
                    if t["scrollWidth"] > t["clientWidth"] + 1:
                        stats["tables_scrolling_inside"][width] += 1
                        if width == WIDTHS[0]:
                            fail(path, width, "width", f"table after “{t['after']}”", f"needs {t['scrollWidth']} px, has {t['clientWidth']} px: it scrolls at {width} px")
                for c in m["charts"]:
                    if not c["visible"] or c["width"] < MIN_CHART_WIDTH or c["height"] < MIN_CHART_HEIGHT:
                        fail(path, width, "chart", c["what"], f"not visible: {c['width']:.0f} x {c['height']:.0f} px")
                    if not c["inScroller"] and (c["right"] > m["viewport"] + 0.5 or c["left"] < -0.5):
                        fail(path, width, "chart", c["what"], f"spans {c['left']:.0f}–{c['right']:.0f} px in a {m['viewport']} px window")
                    if c["role"] != "img" or not c["name"] or c["missingIds"]:
                        fail(path, width, "chart", c["what"], f"no text alternative (role={c['role']!r}, name={c['name'][:40]!r}, missing ids {c['missingIds']})")
                for p in m["problems"]:
                    fail(path, width, p["check"], p["what"], p["detail"])
                stats["text_samples"] += m["textChecked"]
                if m["minRatio"] is not None and m["minRatio"] < min_contrast[0]:
                    min_contrast = (m["minRatio"], f"{path.relative_to(root)} @{width}px: {m['minAt']}")
                if width == WIDTHS[0]:
                    stats["charts"] += len(m["charts"])
                    stats["tables"] += len(m["tables"])
                    stats["images"] += len(m["images"])
                    for i in m["images"]:
                        if not i["ok"]:
                            fail(path, width, "image", i["src"], "did not load")
                        if not (i["alt"] or "").strip():
                            fail(path, width, "image", i["src"], "no alt text")
                    for r in m["refs"]:
                        stats["links"] += 1
                        u = urllib.parse.urlsplit(r["url"])
                        if u.scheme in ("http", "https"):
                            external.add(r["url"])
                            continue
                        if u.scheme == "mailto":
                            continue
                        if u.scheme != "file":
                            fail(path, width, "link", r["what"], f"{r['attr']}={r['raw']!r}: unexpected scheme {u.scheme}")
                            continue
                        target = Path(urllib.parse.unquote(u.path))
                        if target.is_dir():
                            target = target / "index.html"
                        if root not in target.parents and target != root:
                            fail(path, width, "link", r["what"], f"{r['attr']}={r['raw']!r} leaves the site")
                        elif not target.is_file():
                            fail(path, width, "link", r["what"], f"{r['attr']}={r['raw']!r}: {target.relative_to(root)} does not exist")
                        elif u.fragment and (target.suffix != ".html" or urllib.parse.unquote(u.fragment) not in ids_of(target)):
                            fail(path, width, "link", r["what"], f"{r['attr']}={r['raw']!r}: no id {u.fragment!r} in {target.relative_to(root)}")
                if is_report:
                    shot = shots / f"{path.parent.name}-report-{width}px.png"
                    page.screenshot(path=str(shot), full_page=False)
                    stats["screenshots"].append(str(shot))
            # Printed: every table and chart fits the page width whole (nothing is cut at the edge).
            page.emulate_media(media="print")
            page.set_viewport_size({"width": PRINT_WIDTH, "height": SCREEN_HEIGHT})
            m = page.evaluate(MEASURE_JS, False)
            if m["scrollWidth"] > m["viewport"]:
                fail(path, "print", "print", "page", f"the printed page is {m['scrollWidth']} px wide, the paper {m['viewport']} px")
            for t in m["tables"]:
                if t["right"] > m["viewport"] + 0.5 or t["scrollWidth"] > t["clientWidth"] + 1:
                    fail(path, "print", "print", f"table after “{t['after']}”", f"needs {max(t['scrollWidth'], t['right']):.0f} px of a {m['viewport']} px page")
            for c in m["charts"]:
                if not c["visible"] or c["right"] > m["viewport"] + 0.5:
                    fail(path, "print", "print", c["what"], f"{c['width']:.0f} x {c['height']:.0f} px, right edge at {c['right']:.0f} of {m['viewport']} px")
            page.emulate_media(media="screen")
            stats["printed"] += 1
        browser.close()

    stats["min_contrast"] = {"ratio": round(min_contrast[0], 2), "at": min_contrast[1]}
    stats["external_links_not_fetched"] = sorted(external)
    print(f"Checked {stats['pages']} pages at {' and '.join(f'{w} px' for w in WIDTHS)}: {stats['links']} links and sources, "
          f"{stats['images']} images, {stats['charts']} charts, {stats['tables']} tables, {stats['text_samples']} text contrast samples "
          f"(lowest {stats['min_contrast']['ratio']}:1, {stats['min_contrast']['at']}).")
    for w in WIDTHS:
        print(f"Tables scrolling inside their own box at {w} px: {stats['tables_scrolling_inside'][w]}")
    print(f"Laid out for print at {PRINT_WIDTH} px (landscape Letter less margins): {stats['printed']} pages")
    if external:
        print(f"External links listed, not fetched: {len(external)}")
    print(f"Screenshots ({len(stats['screenshots'])}) of each report's first screen: {shots}")
    if args.report:
        Path(args.report).write_text(json.dumps({"stats": stats, "failures": failures}, indent=1, ensure_ascii=False))
    if failures:
        by_check = {}
        for f in failures:
            by_check.setdefault(f["check"], []).append(f)
        print(f"FAILED: {len(failures)} problems ({', '.join(f'{k}: {len(v)}' for k, v in sorted(by_check.items()))})")
        for f in failures[:200]:
            print(f"  {f['page']} @{f['width']}{'' if f['width'] == 'print' else 'px'} [{f['check']}] {f['what']}: {f['detail']}")
        if len(failures) > 200:
            print(f"  … and {len(failures) - 200} more")
        return 1
    print("All browser checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
