#!/usr/bin/python3
"""Opens the index.html of `optbench report` in headless Chromium (Debian's chromium).

Runs a small campaign with the build's optbench (random_search and cmaes on sphere and two bbob
functions, a tiny budget), writes its report, and takes a screenshot of the whole of
report/index.html (1280 CSS pixels wide, 6000 tall, at half scale). The screenshot must not be
blank (at least 16 distinct colours, at least 1 % of the pixels not the background colour), and
the browser must log no console message: the page runs no script, so any console message is the
browser's complaint about it (a resource it could not or must not load, a violation of the
page's Content-Security-Policy). The same page with its <svg> elements removed must look
clearly poorer (under half the distinct colours, at least 1 % fewer covered pixels): the
inline plots are drawn. A control page, blank and throwing an error, shows that the blank and
console checks can fail.

Usage: check.py OPTBENCH. Exits 77 (skipped) when chromium is not installed.
"""
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT, SCALE = 1280, 6000, 0.5  # the page of the small campaign is about 5500 tall


def png_pixels(path):
    """The pixels of an 8-bit PNG (gray, RGB, gray+alpha or RGBA, not interlaced) as rows of bytes."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunk = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        at += 12 + length
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: unsupported PNG (bit depth {depth}, colour type {colour}, interlace {interlace})")
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                row[i] = (row[i] + row[i - channels]) & 0xFF
        elif kind == 2:
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous))
        elif kind == 3:
            for i in range(stride):
                left = row[i - channels] if i >= channels else 0
                row[i] = (row[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = row[i - channels] if i >= channels else 0
                b, c = previous[i], previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(row))
        previous = row
    return width, height, channels, rows


def ink(path):
    """(distinct colours, fraction of pixels that differ from the most common colour)."""
    width, height, channels, rows = png_pixels(path)
    counts = {}
    for row in rows:
        for x in range(0, len(row), channels):
            pixel = row[x:x + channels]
            counts[pixel] = counts.get(pixel, 0) + 1
    return len(counts), 1 - max(counts.values()) / (width * height)


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def run(command):
    result = subprocess.run(command, capture_output=True, text=True, timeout=240)
    if result.returncode != 0:
        fail(f"{' '.join(command)} exited with {result.returncode}:\n{result.stdout}{result.stderr}")


def console_messages(url, screenshot, profile):
    """Takes a screenshot of url in headless Chromium; returns the console messages it logged."""
    # --no-sandbox: Chromium's sandbox refuses to start as root.
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
               f"--window-size={WIDTH},{HEIGHT}", f"--force-device-scale-factor={SCALE}", "--hide-scrollbars",
               f"--screenshot={screenshot}", "--enable-logging=stderr", "--v=0", url]
    # Its own session, so that a hung browser is stopped with every process it started.
    browser = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        _, log = browser.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(browser.pid, signal.SIGKILL)
        browser.communicate()
        fail(f"chromium did not finish within 180 s on {url}")
    if browser.returncode != 0 or not os.path.exists(screenshot):
        fail(f"chromium exited with {browser.returncode} and no screenshot of {url}:\n{log}")
    # Chromium logs every console message, whatever its level, as "INFO:CONSOLE".
    return [line for line in log.splitlines() if ":CONSOLE" in line]


def main():
    if len(sys.argv) != 2:
        fail("usage: check.py OPTBENCH")
    optbench = sys.argv[1]
    if not os.access(CHROMIUM, os.X_OK):
        print(f"{CHROMIUM} is not installed (Debian: apt-get install chromium); skipped")
        return 77
    work = tempfile.mkdtemp(prefix="optbench-report-html.")
    try:
        campaign, results = os.path.join(work, "small.campaign"), os.path.join(work, "results")
        with open(campaign, "w") as f:
            f.write("optimizers = random_search, cmaes\n"
                    "problems = sphere:dim=2, bbob:function=1|8,instance=1..2,dim=2\n"
                    "seeds = 2\nbudget = 300\n")
        run([optbench, "run", "--campaign", campaign, "--jobs", "2", "--out", results])
        run([optbench, "report", results])
        page = os.path.join(results, "report", "index.html")
        html = open(page, encoding="utf-8").read()
        plots = html.count("<svg")
        if plots == 0:
            fail(f"{page} has no inline plot (is gnuplot installed?)")
        without_plots = os.path.join(results, "report", "without_plots.html")
        with open(without_plots, "w", encoding="utf-8") as f:
            f.write(re.sub(r"<svg.*?</svg>", "", html, flags=re.S))

        # The control: blank, and its script's error is logged. Both checks below can fail.
        control = os.path.join(work, "control.html")
        with open(control, "w") as f:
            f.write('<!DOCTYPE html><html lang="en"><head><title>control</title></head>'
                    '<body><script>throw new Error("control error")</script></body></html>')
        control_shot = os.path.join(work, "control.png")
        if not any("control error" in line for line in console_messages(
                "file://" + control, control_shot, os.path.join(work, "profile-control"))):
            fail("chromium did not log the control page's error: the console check would miss errors")
        colours, covered = ink(control_shot)
        if colours != 1 or covered != 0:
            fail(f"the blank control page reads as {colours} colours, {covered:.2%} covered")

        measured = {}
        for name, file in (("index.html", page), ("index.html without its plots", without_plots)):
            shot = os.path.join(work, f"{len(measured)}.png")
            messages = console_messages("file://" + file, shot, os.path.join(work, f"profile-{len(measured)}"))
            if messages:
                fail(f"chromium logged console messages on {file}:\n" + "\n".join(messages))
            measured[name] = ink(shot)
            print(f"{name}: {measured[name][0]} distinct colours, {measured[name][1]:.1%} of the pixels not background")
        colours, covered = measured["index.html"]
        if colours < 16 or covered < 0.01:
            fail("the screenshot of index.html is blank or nearly so")
        bare_colours, bare_covered = measured["index.html without its plots"]
        if not (colours > 2 * bare_colours and covered - bare_covered >= 0.01):
            fail(f"the {plots} inline plots do not show: the page without them looks nearly the same")
        print(f"ok: index.html renders with its {plots} plots, no console message")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
