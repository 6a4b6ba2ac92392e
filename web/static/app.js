// nrladder — progressive enhancement only. Every page works without this
// file: the upload form posts normally and the ladder is server-rendered.
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // ---- copy to clipboard ------------------------------------------------
  function copyText(text, note) {
    function done() {
      if (!note) return;
      note.textContent = "copied";
      setTimeout(function () { note.textContent = ""; }, 1600);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text); done();
    }
  }
  function fallbackCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
    document.body.appendChild(ta); ta.select();
    try { document.execCommand("copy"); } catch (e) { /* the link stays visible to copy by hand */ }
    document.body.removeChild(ta);
  }
  function absolute(path) { return new URL(path, window.location.href).href; }

  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy]");
    if (!btn) return;
    e.preventDefault();
    copyText(absolute(btn.getAttribute("data-copy")), btn.parentNode.querySelector(".copied"));
  });

  // ---- upload page ------------------------------------------------------
  function initUpload() {
    var form = $("form[data-upload]");
    if (!form) return;
    var zone = $(".dropzone", form), input = $("input[type=file]", form);
    var bar = $(".progress", form), prog = $("progress", form), status = $(".status", form);
    var errBox = $("[data-testid=upload-error]");
    var button = $("button[type=submit]", form);

    function showError(msg) {
      errBox.hidden = false;
      $(".msg", errBox).textContent = msg;
      bar.hidden = true; button.disabled = false; input.disabled = false;
    }
    function send(file) {
      if (!file) return;
      errBox.hidden = true;
      bar.hidden = false; prog.value = 0; prog.max = file.size || 1;
      status.textContent = "Uploading " + file.name + "…";
      button.disabled = true;
      var fd = new FormData();
      fd.append("name", file.name);
      fd.append("file", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("data-api"));
      xhr.responseType = "json";
      xhr.upload.onprogress = function (ev) {
        if (!ev.lengthComputable) return;
        prog.max = ev.total; prog.value = ev.loaded;
        var pct = Math.floor(100 * ev.loaded / ev.total);
        status.textContent = pct < 100 ? "Uploading " + file.name + "… " + pct + "%" : "Reading the capture…";
      };
      xhr.onload = function () {
        var body = xhr.response || {};
        if (xhr.status >= 200 && xhr.status < 300 && body.url) {
          status.textContent = "Opening the ladder…";
          window.location.assign(body.url);
        } else {
          showError(body.error || ("upload failed: HTTP " + xhr.status));
        }
        input.value = "";
      };
      xhr.onerror = function () { showError("upload failed: the server could not be reached"); input.value = ""; };
      xhr.send(fd);
    }
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      var files = e.dataTransfer && e.dataTransfer.files;
      if (files && files.length) send(files[0]);
    });
    input.addEventListener("change", function () { if (input.files.length) send(input.files[0]); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (input.files.length) send(input.files[0]); else showError("choose a capture file first");
    });
  }

  // ---- trace page -------------------------------------------------------
  function initTrace() {
    var page = $("[data-trace]");
    if (!page) return;
    var panel = $("aside.panel"), body = $(".panel-body", panel), empty = $(".empty", panel);
    var selected = null;

    // fill shows what the row knows at once; the decoded trees follow from
    // the server.
    function fill(row, seq) {
      var d = row.dataset;
      body.textContent = "";
      var h = document.createElement("h3"); h.setAttribute("data-testid", "details-title"); h.textContent = d.message;
      var dl = document.createElement("dl");
      [["Direction", d.dir], ["Channel", d.channel], ["Frame", d.frame], ["Time", d.abs], ["Relative", d.rel],
       ["Transaction id", d.txid || "—"], ["Role", d.roleText || "—"], ["Size", d.size + " bytes"]].forEach(function (kv) {
        var dt = document.createElement("dt"); dt.textContent = kv[0];
        var dd = document.createElement("dd"); dd.textContent = kv[1];
        dl.appendChild(dt); dl.appendChild(dd);
      });
      var pre = document.createElement("pre"); pre.textContent = d.hex;
      body.appendChild(h); body.appendChild(dl); body.appendChild(pre);
      empty.hidden = true; body.hidden = false;
      var want = seq;
      var redact = new URLSearchParams(window.location.search).get("redact");
      fetch(body.getAttribute("data-details") + seq + "/details?part=panel" + (redact ? "&redact=" + encodeURIComponent(redact) : "")).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      }).then(function (html) {
        if (selected !== want) return; // another message was picked meanwhile
        body.innerHTML = html;
      }).catch(function () { /* the summary above stays */ });
    }
    function select(seq, scroll) {
      var arrow = document.getElementById("m" + seq), row = document.getElementById("d" + seq);
      if (!arrow || !row) return false;
      if (selected) $all(".selected").forEach(function (el) { el.classList.remove("selected"); });
      arrow.classList.add("selected"); row.classList.add("selected");
      selected = seq;
      fill(row, seq);
      if (scroll) arrow.scrollIntoView({ block: "center" });
      return true;
    }
    // Shift-click a second arrow to export the range between the two.
    var rangeNote = $("[data-testid=range-note]");
    function setRange(a, b) {
      var lo = Math.min(a, b), hi = Math.max(a, b);
      $all("g.msg").forEach(function (g) {
        var q = +g.getAttribute("data-seq");
        g.classList.toggle("in-range", q >= lo && q <= hi);
      });
      $all("a[data-export]").forEach(function (link) {
        var u = new URL(link.getAttribute("data-export"), window.location.href);
        if (u.pathname.indexOf("/capture") >= 0 || u.pathname.indexOf(".pcapng") >= 0) return;
        u.searchParams.set("from", lo); u.searchParams.set("to", hi);
        link.setAttribute("href", u.pathname + u.search);
      });
      if (rangeNote) { rangeNote.textContent = "messages " + lo + "–" + hi + " selected for export"; rangeNote.classList.add("active"); }
    }
    $all("g.msg").forEach(function (g) {
      g.addEventListener("click", function (e) {
        e.preventDefault();
        var seq = g.getAttribute("data-seq");
        if (e.shiftKey && selected !== null && selected !== seq) {
          setRange(+selected, +seq);
        }
        select(seq, false);
        history.replaceState(null, "", "#m" + seq);
      });
      g.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); g.dispatchEvent(new MouseEvent("click", { bubbles: true })); }
      });
    });
    $all("table.messages a.seq").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        var seq = a.getAttribute("data-seq");
        select(seq, true);
        history.replaceState(null, "", "#m" + seq);
      });
    });
    document.addEventListener("keydown", function (e) {
      if (selected === null || e.target.closest("input, textarea")) return;
      var arrows = $all("g.msg"), i = arrows.findIndex(function (g) { return g.getAttribute("data-seq") === String(selected); });
      var next = e.key === "ArrowDown" || e.key === "j" ? i + 1 : e.key === "ArrowUp" || e.key === "k" ? i - 1 : -2;
      if (next < 0 || next >= arrows.length) return;
      e.preventDefault();
      var seq = arrows[next].getAttribute("data-seq");
      select(seq, true);
      history.replaceState(null, "", "#m" + seq);
    });
    // A finding selects the messages it rests on; those on another page are
    // reached through its link.
    function selectMany(seqs) {
      $all(".selected").forEach(function (el) { el.classList.remove("selected"); });
      var found = seqs.filter(function (q) { return document.getElementById("m" + q); });
      found.forEach(function (q) {
        document.getElementById("m" + q).classList.add("selected");
        var row = document.getElementById("d" + q);
        if (row) row.classList.add("selected");
      });
      if (found.length) {
        selected = found[0];
        fill(document.getElementById("d" + found[0]), found[0]);
        document.getElementById("m" + found[0]).scrollIntoView({ block: "center" });
        found.slice(1).forEach(function (q) { document.getElementById("m" + q).classList.add("selected"); });
      }
      return found.length === seqs.length;
    }
    $all("[data-testid=finding]").forEach(function (li) {
      li.addEventListener("click", function (e) {
        var seqs = li.getAttribute("data-seqs").split(",").filter(Boolean);
        if (selectMany(seqs)) {
          e.preventDefault();
          history.replaceState(null, "", "#m" + seqs[0]);
        }
      });
    });
    var sel = new URLSearchParams(window.location.search).get("sel");
    function fromHash() {
      var m = /^#m(\d+)$/.exec(window.location.hash);
      if (!m) return;
      if (!select(m[1], true) && new URLSearchParams(window.location.search).get("at") !== m[1]) {
        // The message is on another page or another UE's ladder: the server knows where.
        var rd = new URLSearchParams(window.location.search).get("redact");
        window.location.replace(page.getAttribute("data-trace") + "/m/" + m[1] + (rd ? "?redact=" + encodeURIComponent(rd) : ""));
      }
    }
    window.addEventListener("hashchange", fromHash);
    fromHash();
    if (sel) selectMany(sel.split(",").filter(Boolean));
  }

  initUpload();
  initTrace();
})();
