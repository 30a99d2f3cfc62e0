#!/usr/bin/env python3
"""Turns a bangtin playlist (playlist.cfg) into playlist.js for the Chromium comparison page.

The Chromium side of the lobby benchmark must show the same rotation as bangtin: the same
notices, durations, priority order, ticker lines and QR targets. This script reads the
playlist with a small parser for the libconfig subset playlists use (settings, groups, lists,
arrays, strings with adjacent concatenation, ints, booleans, comments), resolves dates,
weekdays and hours to plain numbers so the page's JavaScript stays simple, and renders each
QR target to a PNG with the `qrencode` CLI (committed PNGs are reused when it is missing).

    make_data.py PLAYLIST_DIR OUT_DIR [--ward NAME] [--portal-url URL] [--portal-caption TEXT]

Writes OUT_DIR/playlist.js and OUT_DIR/qr/*.png; OUT_DIR/lobby.html loads them. Images stay
where the playlist has them (playlist.js names them relative to OUT_DIR). The committed
bench/chromium/playlist.js comes from: make_data.py playlists/demo bench/chromium
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

# Same defaults as the appliance configuration table (src/app/config.c).
DEFAULT_WARD = "UBND phường Bạch Mai"
DEFAULT_PORTAL_URL = "https://dichvucong.gov.vn"
DEFAULT_PORTAL_CAPTION = "Quét mã để nộp hồ sơ trực tuyến"
DEFAULT_TICKER_SPEED = 120   # px/s at 1080 px of the short side
DEFAULT_TRANSITION_MS = 700
DEFAULT_DURATION = 15
DEFAULT_PRIORITY = 5


class ParseError(Exception):
    pass


_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>[-+]?(?:0[xX][0-9a-fA-F]+|\d+\.\d*(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?)L{0,2})
  | (?P<bool>(?i:true|false)\b)
  | (?P<name>[A-Za-z*][-A-Za-z0-9_*]*)
  | (?P<punct>[=:;,()\[\]{}])
""", re.VERBOSE | re.DOTALL)


def _unescape(body):
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n == "x" and i + 3 < len(body):
                out.append(chr(int(body[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append({"n": "\n", "t": "\t", "r": "\r", "f": "\f"}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _tokens(text):
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            line = text.count("\n", 0, pos) + 1
            raise ParseError(f"line {line}: unexpected {text[pos:pos + 10]!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        yield kind, m.group(kind)
    yield "end", ""


class _Parser:
    def __init__(self, text):
        self.toks = list(_tokens(text))
        self.i = 0

    def peek(self):
        return self.toks[self.i]

    def take(self, want=None):
        tok = self.toks[self.i]
        if want is not None and tok[1] != want:
            raise ParseError(f"expected {want!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def settings(self, closer):
        out = {}
        while self.peek()[1] != closer and self.peek()[0] != "end":
            kind, name = self.take()
            if kind != "name":
                raise ParseError(f"expected a setting name, got {name!r}")
            if self.peek()[1] not in ("=", ":"):
                raise ParseError(f"expected '=' after {name}")
            self.take()
            out[name] = self.value()
            if self.peek()[1] in (";", ","):
                self.take()
        return out

    def value(self):
        kind, text = self.take()
        if kind == "string":
            parts = [_unescape(text[1:-1])]
            while self.peek()[0] == "string":  # "a" "b" is "ab" in libconfig
                parts.append(_unescape(self.take()[1][1:-1]))
            return "".join(parts)
        if kind == "number":
            t = text.rstrip("L")
            if t.lower().startswith(("0x", "+0x", "-0x")):
                return int(t, 16)
            return float(t) if any(c in t for c in ".eE") else int(t)
        if kind == "bool":
            return text.lower() == "true"
        if text == "{":
            group = self.settings("}")
            self.take("}")
            return group
        if text in ("(", "["):
            closer = ")" if text == "(" else "]"
            items = []
            while self.peek()[1] != closer:
                items.append(self.value())
                if self.peek()[1] == ",":
                    self.take()
            self.take(closer)
            return items
        raise ParseError(f"unexpected {text!r}")


def parse_cfg(path):
    """Parses a libconfig file (BOM tolerated) into dicts, lists, str, int, float, bool."""
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    p = _Parser(text)
    root = p.settings("")
    if p.peek()[0] != "end":
        raise ParseError(f"trailing {p.peek()[1]!r}")
    return root


def _nfc(s):
    return unicodedata.normalize("NFC", s)


def _day(s):
    """'YYYY-MM-DD' or 'dd/mm/yyyy' → days since 1970-01-01 (a civil day number)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        d = datetime.date.fromisoformat(s)
    else:
        dd, mm, yy = s.split("/")
        d = datetime.date(int(yy), int(mm), int(dd))
    return (d - datetime.date(1970, 1, 1)).days


_WEEKDAY = {"T2": 0, "T3": 1, "T4": 2, "T5": 3, "T6": 4, "T7": 5, "CN": 6}


def _weekdays(s):
    """'T2-T6', 'T2,T4,CN' → bit mask, bit 0 = Monday (as in bt_notice.weekdays)."""
    mask = 0
    for part in s.replace(" ", "").upper().split(","):
        if "-" in part:
            a, b = part.split("-")
            for k in range(_WEEKDAY[a], _WEEKDAY[b] + 1):
                mask |= 1 << k
        else:
            mask |= 1 << _WEEKDAY[part]
    return mask


def _hours(s):
    spans = []
    for part in s.replace(" ", "").split(","):
        a, b = part.split("-")
        ha, ma = a.split(":")
        hb, mb = b.split(":")
        spans.append([int(ha) * 60 + int(ma), int(hb) * 60 + int(mb)])
    return spans


def _qr_png(url, qr_dir, committed_dir):
    """Renders url as a QR PNG (error correction M, like the ui room); returns its file name."""
    name = "qr-" + hashlib.sha1(url.encode()).hexdigest()[:12] + ".png"
    out = os.path.join(qr_dir, name)
    if shutil.which("qrencode"):
        subprocess.run(["qrencode", "-l", "M", "-s", "12", "-m", "4", "-o", out, url], check=True)
    else:
        src = os.path.join(committed_dir, name)
        if not os.path.exists(src):
            sys.exit(f"make_data.py: qrencode is missing and no committed {src}")
        if os.path.abspath(src) != os.path.abspath(out):
            shutil.copyfile(src, out)
    return "qr/" + name


def build(playlist_dir, out_dir, ward, portal_url, portal_caption, ticker=True):
    cfg = parse_cfg(os.path.join(playlist_dir, "playlist.cfg"))
    here = os.path.dirname(os.path.abspath(__file__))
    qr_dir = os.path.join(out_dir, "qr")
    os.makedirs(qr_dir, exist_ok=True)
    notices = []
    for i, n in enumerate(cfg.get("notices", [])):
        item = {
            "id": n["id"],
            "kind": n["kind"],
            "title": _nfc(n.get("title", "")),
            "body": _nfc(n.get("body", "")),
            "duration": int(n.get("duration", DEFAULT_DURATION)),
            "priority": int(n.get("priority", DEFAULT_PRIORITY)),
            "urgent": bool(n.get("urgent", False)),
            "order": i,
            "from_day": _day(n["from"]) if "from" in n else -10**9,
            "until_day": _day(n["until"]) if "until" in n else 10**9,
            "weekdays": _weekdays(n["weekdays"]) if "weekdays" in n else 0x7F,
            "hours": _hours(n["hours"]) if "hours" in n else [],
            "qr_caption": _nfc(n.get("qr_caption", "")),
        }
        if n.get("qr_url"):
            item["qr_url"] = n["qr_url"]
            item["qr_png"] = _qr_png(n["qr_url"], qr_dir, os.path.join(here, "qr"))
        if n.get("image"):
            # Relative to the page, so the committed page and a temp copy both find it.
            item["image"] = os.path.relpath(os.path.join(playlist_dir, n["image"]), out_dir)
        notices.append(item)
    data = {
        "ward_name": _nfc(ward),
        "portal_url": portal_url,
        "portal_caption": _nfc(portal_caption),
        "portal_qr_png": _qr_png(portal_url, qr_dir, os.path.join(here, "qr")),
        "ticker_speed": DEFAULT_TICKER_SPEED,
        "transition_ms": DEFAULT_TRANSITION_MS,
        "valid_from_day": _day(cfg["valid_from"]) if "valid_from" in cfg else -10**9,
        "valid_until_day": _day(cfg["valid_until"]) if "valid_until" in cfg else 10**9,
        "notices": notices,
        "ticker": [_nfc(t) for t in cfg.get("ticker", [])] if ticker else [],
    }
    with open(os.path.join(out_dir, "playlist.js"), "w", encoding="utf-8") as f:
        f.write("// Generated by bench/chromium/make_data.py from "
                + os.path.basename(os.path.abspath(playlist_dir)) + "/playlist.cfg; "
                "do not edit.\n")
        f.write("window.BT_DATA = ")
        json.dump(data, f, ensure_ascii=False, indent=1, separators=(",", ": "))
        f.write(";\n")
    return data


# The rotation rule of src/core/rotation.c (and of lobby.js), so the benchmark can say which
# notices a time window showed.
OFFSET, DAY = 7 * 3600, 86400


def _in_time(n, t):
    day = (t + OFFSET) // DAY
    if day < n["from_day"] or day > n["until_day"]:
        return False
    if not (n["weekdays"] >> ((day + 3) % 7)) & 1:   # 1970-01-01 was a Thursday
        return False
    minute = (t + OFFSET) % DAY // 60
    return not n["hours"] or any(a <= minute < b for a, b in n["hours"])


def pick(data, t):
    """(notice id or None, end of its slot) at wall time t (seconds since the epoch)."""
    t = int(t)
    day = (t + OFFSET) // DAY
    midnight = day * DAY - OFFSET
    if day < data["valid_from_day"] or day > data["valid_until_day"]:
        return None, midnight + DAY
    urgent = any(n["urgent"] and _in_time(n, t) for n in data["notices"])
    part = [n for n in data["notices"] if (not urgent or n["urgent"]) and _in_time(n, t)]
    if not part:
        return None, t + 60 - t % 60
    part.sort(key=lambda n: (-n["priority"], n["order"]))
    pos, cum = (t - midnight) % sum(n["duration"] for n in part), 0
    for n in part:
        if pos < cum + n["duration"]:
            return n["id"], min(t + cum + n["duration"] - pos, midnight + DAY)
        cum += n["duration"]
    return None, t + 1


def shown_between(data, t0, t1):
    """Notice ids on screen during [t0, t1), in order (None = the idle screen)."""
    out, t = [], int(t0)
    while t < t1:
        nid, end = pick(data, t)
        if not out or out[-1] != nid:
            out.append(nid)
        t = max(end, t + 1)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("playlist_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--ward", default=DEFAULT_WARD)
    ap.add_argument("--portal-url", default=DEFAULT_PORTAL_URL)
    ap.add_argument("--portal-caption", default=DEFAULT_PORTAL_CAPTION)
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    data = build(a.playlist_dir, a.out_dir, a.ward, a.portal_url, a.portal_caption)
    print(f"{len(data['notices'])} notices, {len(data['ticker'])} ticker lines → "
          f"{os.path.join(a.out_dir, 'playlist.js')}")


if __name__ == "__main__":
    main()
