// The rotation of bangtin's core/rotation.c in JavaScript: position = (t - local midnight)
// mod (sum of durations of the notices taking part), walked from priority 9 down to 1 in
// playlist order; urgent notices in their time push the others out. Time is Asia/Ho_Chi_Minh
// (UTC+7, no daylight saving), whatever the machine's time zone.
"use strict";
(function () {
  const D = window.BT_DATA;
  const OFFSET = 7 * 3600, DAY = 86400;
  const WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"];
  const $ = (id) => document.getElementById(id);
  const pad = (n) => String(n).padStart(2, "0");

  function local(t) {           // t: seconds since the epoch → civil fields in UTC+7
    const d = new Date((t + OFFSET) * 1000);
    const day = Math.floor((t + OFFSET) / DAY);
    return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(),
             h: d.getUTCHours(), mi: d.getUTCMinutes(), day: day,
             wd: (((day + 3) % 7) + 7) % 7 };        // 0 = Monday (1970-01-01 was a Thursday)
  }

  function inTime(n, t) {
    const c = local(t);
    if (c.day < n.from_day || c.day > n.until_day) return false;
    if (!((n.weekdays >> c.wd) & 1)) return false;
    if (n.hours.length === 0) return true;
    const m = c.h * 60 + c.mi;
    return n.hours.some(([a, b]) => m >= a && m < b);
  }

  function pick(t) {            // → { notice, end } (notice null: idle screen)
    const c = local(t);
    const midnight = c.day * DAY - OFFSET;
    if (c.day < D.valid_from_day || c.day > D.valid_until_day)
      return { notice: null, end: midnight + DAY };
    const urgent = D.notices.some((n) => n.urgent && inTime(n, t));
    const part = D.notices.filter((n) => (!urgent || n.urgent) && inTime(n, t));
    if (part.length === 0) return { notice: null, end: t + 60 - (t % 60) };
    part.sort((a, b) => (b.priority - a.priority) || (a.order - b.order));
    const total = part.reduce((s, n) => s + n.duration, 0);
    const pos = (t - midnight) % total;
    let cum = 0;
    for (const n of part) {
      if (pos < cum + n.duration)
        return { notice: n, end: Math.min(t + (cum + n.duration - pos), midnight + DAY) };
      cum += n.duration;
    }
    return { notice: null, end: t + 1 };
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function qrBlock(png, caption, url) {
    const box = el("div", "qr");
    const plate = el("div", "qr-plate");
    const img = el("img");
    img.src = png;
    plate.appendChild(img);
    box.appendChild(plate);
    if (caption) box.appendChild(el("div", "caption", caption));
    if (url) box.appendChild(el("div", "url", url.replace(/^https?:\/\//, "")));
    return box;
  }

  function slideFor(n) {
    const s = el("div", "slide");
    if (!n) {
      s.appendChild(qrBlock(D.portal_qr_png, D.portal_caption, D.portal_url));
      return s;
    }
    if (n.kind === "image") {
      s.classList.add("image");
      const img = el("img");
      img.src = n.image;
      s.appendChild(img);
      if (n.title) s.appendChild(el("h1", null, n.title));
      return s;
    }
    if (n.kind === "qr") {
      s.classList.add("qrslide");
      const text = el("div", "text");
      text.appendChild(el("h1", null, n.title));
      if (n.qr_caption) text.appendChild(el("p", null, n.qr_caption));
      s.appendChild(text);
      s.appendChild(qrBlock(n.qr_png, "", n.qr_url));
      return s;
    }
    const text = el("div", "text");
    text.appendChild(el("h1", null, n.title));
    if (n.body) text.appendChild(el("p", null, n.body));
    s.appendChild(text);
    if (n.qr_png) s.appendChild(qrBlock(n.qr_png, n.qr_caption, null));
    return s;
  }

  let shownId, current = null;
  function show(n, animate) {
    const next = slideFor(n);
    next.style.transitionDuration = (animate ? D.transition_ms : 0) + "ms";
    $("main").appendChild(next);
    const old = current;
    current = next;
    void next.offsetWidth;      // start the transition from opacity 0
    next.classList.add("shown");
    if (old) setTimeout(() => old.remove(), animate ? D.transition_ms : 0);
  }

  function clock(t) {
    const c = local(t);
    $("date").textContent = `${WEEKDAYS[c.wd]}, ${pad(c.d)}/${pad(c.mo)}/${c.y}`;
    $("clock").textContent = `${pad(c.h)}:${pad(c.mi)}`;
  }

  // Like bangtin's loop: wake at the slide's end or the next minute, whichever comes first.
  function tick(first) {
    const now = Date.now() / 1000, t = Math.floor(now);
    const p = pick(t);
    const id = p.notice ? p.notice.id : null;
    if (first || id !== shownId) {
      show(p.notice, !first);
      shownId = id;
    }
    clock(t);
    const wake = Math.min(p.end, t - (t % 60) + 60);
    setTimeout(() => tick(false), Math.max(1, (wake - now) * 1000));
  }

  function startTicker() {
    const band = $("ticker");
    if (D.ticker.length === 0) { band.remove(); return; }
    const text = $("ticker-text");
    text.textContent = D.ticker.join("     •     ");
    const speed = D.ticker_speed * window.innerHeight / 1080;
    const from = band.clientWidth, to = -text.scrollWidth;
    text.style.setProperty("--from", from + "px");
    text.style.setProperty("--to", to + "px");
    text.style.animation = `scroll ${(from - to) / speed}s linear infinite`;
  }

  $("ward").textContent = D.ward_name;
  $("portal-qr").src = D.portal_qr_png;
  $("portal-caption").textContent = D.portal_caption;
  document.fonts.ready.then(() => { startTicker(); tick(true); });
})();
