"""`roll gallery`: real files, an index that names them all, and a browser that loads them."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading

from PIL import Image
from support import roll

from landscapes import SCENES
from scenes.cli.gallery import index_html, readme_md

CHECK_PAGE = """<!doctype html><html><body>
<iframe id="g" src="gallery/index.html" style="width:1000px;height:200000px"></iframe>
<script>
document.getElementById("g").addEventListener("load", () => {
  const doc = document.getElementById("g").contentDocument;
  const imgs = [...doc.images];
  const settle = (tries) => {
    const pending = imgs.filter(i => !i.complete);
    if (pending.length && tries > 0) return setTimeout(() => settle(tries - 1), 100);
    const ok = imgs.filter(i => i.complete && i.naturalWidth > 0).map(i => i.getAttribute("src"));
    const pre = document.createElement("pre");
    pre.id = "result";
    pre.textContent = "total=" + imgs.length + " loaded=" + ok.length + " srcs=" + ok.join(",");
    document.body.appendChild(pre);
  };
  settle(100);
});
</script></body></html>"""


def test_index_and_readme_list_every_scene_and_file():
    stories = list(SCENES.values())
    page, readme = index_html(stories, "l"), readme_md(stories, "l")
    for st in stories:
        for ext in ("gif", "png", "json", "srt", "vtt"):
            assert f'href="{st.name}.{ext}"' in page and f"]({st.name}.{ext})" in readme
        assert f'src="{st.name}.gif"' in page and f'src="{st.name}.png"' in page
        assert st.line in readme
    assert len(re.findall(r"<section ", page)) == len(stories)


def test_gallery_renders_and_every_image_loads_in_chromium(tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make test` installs it"
    gallery = tmp_path / "site" / "gallery"
    proc = roll("gallery", "cubic-saddle", "basins", "--out", str(gallery), "--jobs", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = ["cubic-saddle", "basins"]
    expected = {f"{n}.{ext}" for n in names for ext in ("gif", "png", "json", "srt", "vtt")}
    expected |= {"index.html", "README.md"}
    assert {p.name for p in gallery.iterdir()} == expected
    for n in names:
        with Image.open(gallery / f"{n}.gif") as im:
            assert im.n_frames > 10
        assert Image.open(gallery / f"{n}.png").size == (854, 480)

    (tmp_path / "site" / "check.html").write_text(CHECK_PAGE)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dom = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tmp_path / 'chromium'}",
                "--virtual-time-budget=20000",
                "--dump-dom",
                f"http://127.0.0.1:{server.server_port}/check.html",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    finally:
        server.shutdown()
    found = re.search(r"total=(\d+) loaded=(\d+) srcs=([^<]*)", dom)
    assert found, dom[-2000:]
    total, loaded, srcs = int(found[1]), int(found[2]), set(found[3].split(","))
    assert total == 2 * len(names) and loaded == total
    assert srcs == {f"{n}.{ext}" for n in names for ext in ("gif", "png")}
