"""The video scenario of the lobby benchmark (issue 15): bench/lobby.sh --video.

A 1080p30 H.264 clip made here with Debian's ffmpeg (testsrc2, 20 s, x264 "veryfast", a
keyframe every 2 s, yuv420p, the moov atom first) loops for the window in both kiosks, with the
same ticker line under it:

  - bangtin: a playlist with one video notice (loop = true) and the ticker, `bangtin run` in a
    1920×1080 window on the Xvfb lobby.sh started;
  - Chromium: bench/chromium/video.html, the same header, the clip in <video autoplay muted
    loop> letterboxed in the stage, the ticker by CSS animation.

Measured as the other scenarios are (lobby.py: CPU of the process tree and of Xvfb over the
window that starts at bangtin's first frame, or after Chromium's settle time; peak PSS summed
over the tree), plus frames dropped over each kiosk's whole life: bangtin's from the line its
clip logs when it closes ("đã giải mã N khung hình, bỏ qua M, chiếu muộn L": decoded,
passed over, shown after the next was due), Chromium's from the page's
getVideoPlaybackQuality(), logged once a second.

Budgets (issue 15): (bangtin + X) / (Chromium + X) CPU ≤ 1/2, bangtin's peak PSS / Chromium's
≤ 1/8, 0 frames dropped by bangtin.

The floor under the memory figure: bench/video_floor, built next to bangtin, decodes the same clip
with Debian's FFmpeg as the kiosk does and nothing else (no window, no queue, no scaling) and
prints its PSS at the end, the decoder still open: the decoder's pictures and the pages of the
libraries FFmpeg maps, which any player built on these packages holds.
"""
import json
import os
import re
import shutil
import subprocess
import time

CLIP_SECONDS = 20
BUDGET_CPU_RATIO = 1 / 2
BUDGET_PSS_RATIO = 1 / 8
TICKER = ("Bộ phận Một cửa làm việc từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu — mời ông bà "
          "lấy số thứ tự và chờ gọi")
WARD = "UBND phường Bạch Mai"
TICKER_SPEED = 120


def make_clip(path):
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=s=1920x1080:r=30:d={CLIP_SECONDS}", "-c:v", "libx264",
                    "-preset", "veryfast", "-g", "60", "-pix_fmt", "yuv420p",
                    "-movflags", "+faststart", path], check=True)


def make_playlist(dir_, clip, seconds):
    os.makedirs(dir_)
    shutil.copy(clip, os.path.join(dir_, "clip.mp4"))
    # Long enough to last the whole window (and bangtin's --duration safety net).
    duration = int(seconds) + 120
    with open(os.path.join(dir_, "playlist.cfg"), "w", encoding="utf-8") as f:
        f.write('id = "video-bench";\nversion = 1;\ntitle = "Video";\n'
                f'ticker = ["{TICKER}"];\n'
                'notices = (\n'
                f'  {{ id = "clip"; kind = "video"; video = "clip.mp4"; duration = {duration}; '
                'loop = true; }\n);\n')


def make_page(dir_, clip, here):
    os.makedirs(dir_)
    for name in ("video.html", "lobby.css"):
        shutil.copy(os.path.join(here, "chromium", name), dir_)
    shutil.copy(clip, os.path.join(dir_, "clip.mp4"))
    with open(os.path.join(dir_, "video.js"), "w", encoding="utf-8") as f:
        f.write("const V = " + json.dumps({"ward_name": WARD, "ticker": TICKER,
                                           "ticker_speed": TICKER_SPEED},
                                          ensure_ascii=False) + ";\n")
    return "file://" + os.path.join(dir_, "video.html")


def bangtin_frames(r):
    """(decoded, dropped, late, caught up) from the line the clip logs when it closes (caught up:
    frames due while the loop was away before play began, e.g. starting the loudspeaker; 0 from
    a build that does not log them); None when absent."""
    for line in reversed(r.get("stderr_all", [])):
        m = re.search(r"đã giải mã (\d+) khung hình, bỏ qua (\d+), chiếu muộn (\d+)"
                      r"(?:; bắt kịp trước khi chiếu liền (\d+))?", line)
        if m:
            return int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4) or 0)
    return None


def chromium_frames(log_path):
    """(total, dropped) of the page's last report; None when it logged none."""
    last = None
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.search(r"bt-video total=(\d+) dropped=(\d+)", line)
                if m:
                    last = int(m.group(1)), int(m.group(2))
    except OSError:
        pass
    return last


def run(args, lobby, xvfb, work, res):
    log = lambda s: print(s, file=lobby.sys.stderr, flush=True)  # noqa: E731
    clip = os.path.join(work, "clip-1080p30.mp4")
    log(f"[lobby] video: making a {CLIP_SECONDS} s 1080p30 H.264 clip with ffmpeg …")
    make_clip(clip)
    playlist = os.path.join(work, "video-playlist")
    make_playlist(playlist, clip, args.seconds)
    page = make_page(os.path.join(work, "video-page"), clip, lobby.HERE)
    if args.chromium:
        res["chromium_version"] = lobby.version_of([args.chromium, "--version"])
    res["video_bangtin"], res["video_chromium"] = [], []
    for i in range(args.runs):
        n = f"{i + 1}/{args.runs}"
        log(f"[lobby] video run {n}: bangtin, {args.seconds:.0f} s …")
        r = lobby.run_bangtin(args.bangtin, os.path.join(work, f"data-video-{i}"), playlist,
                              None, args.seconds, xvfb, args.size)
        r["frames"] = bangtin_frames(r)
        res["video_bangtin"].append(r)
        if args.chromium:
            log(f"[lobby] video run {n}: Chromium, {args.settle:.0f} s + {args.seconds:.0f} s …")
            c = lobby.run_chromium(args.chromium, page, args.seconds, args.settle, xvfb, work,
                                   extra_flags=["--enable-logging=stderr", "--v=0",
                                                "--autoplay-policy=no-user-gesture-required"])
            c["frames"] = chromium_frames(c["log"])
            res["video_chromium"].append(c)
        time.sleep(1)
    res["floor"] = decoder_floor(args.bangtin, clip, log)
    with open("/proc/loadavg") as f:
        res["load_end"] = " ".join(f.read().split()[:3])
    return report(res, args, lobby)


def decoder_floor(bangtin, clip, log):
    """What bench/video_floor (built next to bangtin) prints for the clip: the PSS of a bare
    FFmpeg decoder of it, alone on the machine, with its split; None without the program."""
    floor = os.path.join(os.path.dirname(os.path.abspath(bangtin)), "video_floor")
    if not os.access(floor, os.X_OK):
        log(f"[lobby] video: no {floor} (a build with BT_VIDEO has it): floor skipped")
        return None
    log("[lobby] video: the floor, a bare FFmpeg decoder of the clip …")
    done = subprocess.run([floor, clip], capture_output=True, text=True, check=False)
    if done.returncode != 0:  # the runs' figures still stand without it
        log(f"[lobby] video: video_floor failed ({done.returncode}): {done.stderr.strip()}")
        return None
    return {k: int(v) for k, v in (line.split() for line in done.stdout.splitlines()
                                   if line.strip())}


def report(res, args, lobby):
    MB = lobby.MB
    b, c = res["video_bangtin"], res["video_chromium"]
    runs = len(b)
    rows = []   # (figure, [per run], budget, result)

    def cpu(r):
        return f"{r['window_cpu_s'] + r['xvfb_cpu_s']:.2f} s ({r['window_cpu_s']:.2f} + X {r['xvfb_cpu_s']:.2f})"

    def ratio(num, den):
        return num / den if den else float("inf")

    rows.append(("CPU, bangtin + X", [cpu(r) for r in b], "", "info"))
    rows.append(("peak PSS, bangtin", [f"{r['pss_peak_kb'] * 1024 / MB:.1f} MB" for r in b], "",
                 "info"))

    def split(r):
        e = r.get("pss_parts_end_kb") or {}
        return (f"{e.get('Pss', 0) * 1024 / MB:.1f} = {e.get('Pss_Anon', 0) * 1024 / MB:.1f} + "
                f"{e.get('Pss_File', 0) * 1024 / MB:.1f} + {e.get('Pss_Shmem', 0) * 1024 / MB:.1f}")
    rows.append(("  PSS at the window's end: anon + files + window image (MB)",
                 [split(r) for r in b], "", "info"))
    fr = [r["frames"] for r in b]
    rows.append(("frames, bangtin: dropped / late / decoded / caught up at start",
                 [f"{f[1]} / {f[2]} / {f[0]} / {f[3]}" if f else "no count" for f in fr],
                 "0 dropped",
                 lobby.verdict(all(f and f[1] == 0 for f in fr))))
    if c:
        rows.append(("CPU, Chromium + X", [cpu(r) for r in c], "", "info"))
        rows.append(("peak PSS, Chromium (summed)",
                     [f"{r['pss_peak_kb'] * 1024 / MB:.1f} MB ({r['processes']} proc.)" for r in c],
                     "", "info"))
        cf = [r["frames"] for r in c]
        rows.append(("frames, Chromium: dropped / total",
                     [f"{f[1]} / {f[0]}" if f else "no count" for f in cf], "", "info"))
        cr = [ratio(x["window_cpu_s"] + x["xvfb_cpu_s"], y["window_cpu_s"] + y["xvfb_cpu_s"])
              for x, y in zip(b, c)]
        rows.append(("CPU ratio (bangtin + X) / (Chromium + X)",
                     [lobby.ratio_text(r) for r in cr], "≤ 1/2",
                     lobby.verdict(all(r <= BUDGET_CPU_RATIO for r in cr))))
        pr = [ratio(x["pss_peak_kb"], y["pss_peak_kb"]) for x, y in zip(b, c)]
        rows.append(("memory ratio, peak PSS bangtin / Chromium",
                     [lobby.ratio_text(r) for r in pr], "≤ 1/8",
                     lobby.verdict(all(r <= BUDGET_PSS_RATIO for r in pr))))
    else:
        rows.append(("Chromium comparison", ["skipped"] * runs, "≤ 1/2, ≤ 1/8", "SKIP"))
    floor = res.get("floor")
    if floor:
        kb = lambda k: floor[k] * 1024 / MB  # noqa: E731
        rows.append(("floor: bare FFmpeg decoder of the clip (video_floor), PSS",
                     [f"{kb('pss_kb'):.1f} MB"] * runs, "", "info"))
        rows.append((f"  its {floor['pictures']} decoder pictures + FFmpeg's "
                     f"{floor['ffmpeg_files']} mapped files",
                     [f"{kb('picture_kb'):.1f} + {kb('ffmpeg_file_kb'):.1f} MB"] * runs, "",
                     "info"))
        if c:
            fr = [ratio(floor["pss_kb"], y["pss_peak_kb"]) for y in c]
            rows.append(("  floor / Chromium's peak PSS (before any kiosk around it)",
                         [lobby.ratio_text(r) for r in fr], "", "info"))
    m = res["machine"]
    out = [f"bangtin lobby benchmark, video scenario — {res['date']}",
           f"machine : {m['nproc']} CPUs usable, {m['cpu']}; {m['mem_gb']:.1f} GB RAM; "
           f"load {m['load']} (start) → {res['load_end']} (end)",
           f"versions: {res['bangtin_version']}; {res.get('chromium_version', 'no Chromium')}",
           f"clip    : 1920×1080, 30 fps, H.264 (libx264 veryfast, GOP 60), {CLIP_SECONDS} s, "
           f"looped; window {args.seconds:.0f} s per run; Xvfb 1920x1080x24; MB = 10^6 B; "
           "frames over each kiosk's life", ""]
    cols = [f"run {i + 1}" for i in range(runs)]
    w0 = max(len(r[0]) for r in rows)
    wr = [max([len(cols[i])] + [len(r[1][i]) for r in rows]) for i in range(runs)]
    w2 = max(len("budget"), max(len(r[2]) for r in rows))
    out.append(f"{'figure':<{w0}}  " + "  ".join(f"{cols[i]:<{wr[i]}}" for i in range(runs))
               + f"  {'budget':<{w2}}  result")
    out.append(f"{'-' * w0}  " + "  ".join("-" * wr[i] for i in range(runs))
               + f"  {'-' * w2}  ------")
    for f0, vals, f2, f3 in rows:
        out.append(f"{f0:<{w0}}  " + "  ".join(f"{vals[i]:<{wr[i]}}" for i in range(runs))
                   + f"  {f2:<{w2}}  {f3}")
    failed = [r for r in rows if r[3] == "FAIL"]
    out += ["", f"verdict : {'all budgets PASS' if not failed else f'{len(failed)} budget(s) FAIL'}"]
    return "\n".join(out), (1 if failed else 0)
