/*
 * Voice notes: progressive enhancement for
 *
 *   <div class="voice-recorder" data-voice-recorder data-max-seconds="120"
 *        data-label-start="…" data-label-stop="…" data-label-again="…"
 *        data-label-recording="… %s …" data-label-unsupported="…" [data-label-done="… %s …"]>
 *     <input type="file" name="voice" accept="audio/*" capture>
 *   </div>
 *
 * Where the browser can record (getUserMedia + MediaRecorder + DataTransfer), a start/stop button, a live region
 * and an <audio controls> preview are added; the recording is put into the file input so the ordinary form
 * submission uploads it. Otherwise, or if the microphone is refused, the unsupported text is shown and the file
 * input stays the way to send a voice note. No inline styles: only the `hidden` attribute and classes change.
 */
(() => {
  "use strict";

  // What we ask for, in order; the server re-encodes every one of them to Opus in Ogg.
  const MIME_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"];
  const EXTENSIONS = { "audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "mp4", "audio/x-m4a": "m4a" };
  const DEFAULT_MAX_SECONDS = 120;

  const canRecord = () => {
    if (!(navigator.mediaDevices?.getUserMedia && typeof window.MediaRecorder === "function")) return false;
    try {
      new DataTransfer(); // older browsers cannot build a FileList, so a recording could not be attached
      return true;
    } catch {
      return false;
    }
  };

  const pickMimeType = () => {
    if (typeof MediaRecorder.isTypeSupported !== "function") return "";
    return MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) || "";
  };

  const fileNameFor = (type) => {
    const base = (type || "").split(";")[0].trim().toLowerCase();
    return `voice.${EXTENSIONS[base] || "webm"}`;
  };

  const setup = (root) => {
    const input = root.querySelector('input[type="file"]');
    if (!input || root.dataset.voiceReady === "1") return;
    root.dataset.voiceReady = "1";

    const labels = {
      start: root.dataset.labelStart || "Start recording",
      stop: root.dataset.labelStop || "Stop",
      again: root.dataset.labelAgain || "Record again",
      recording: root.dataset.labelRecording || "Recording… %s s",
      unsupported: root.dataset.labelUnsupported || "This device cannot record. Please choose a sound file instead.",
      done: root.dataset.labelDone || "",
    };
    const parsedMax = Number.parseInt(root.dataset.maxSeconds || "", 10);
    const maxSeconds = Number.isFinite(parsedMax) && parsedMax > 0 ? parsedMax : DEFAULT_MAX_SECONDS;

    const status = document.createElement("p");
    status.className = "voice-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");
    root.insertBefore(status, input);

    const showUnsupported = () => {
      status.textContent = labels.unsupported;
      root.classList.add("voice-unsupported");
    };

    if (!canRecord()) {
      showUnsupported();
      return;
    }

    const button = document.createElement("button");
    button.type = "button";
    button.className = "button voice-toggle";
    button.textContent = labels.start;
    root.insertBefore(button, status);

    const preview = document.createElement("audio");
    preview.controls = true;
    preview.preload = "metadata";
    preview.hidden = true;
    preview.className = "voice-preview";
    root.insertBefore(preview, input);

    let recorder = null;
    let micStream = null;
    let chunks = [];
    let startedAt = 0;
    let ticker = 0;
    let limitTimer = 0;
    let previewUrl = "";
    let settingFiles = false;
    let pendingSubmit = null; // { form, submitter } when the form was sent while recording

    // Not `disabled`: a disabled button loses keyboard focus, and the next Enter or Space would go nowhere.
    let busy = false;
    const setBusy = (value) => {
      busy = value;
      button.setAttribute("aria-disabled", value ? "true" : "false");
    };

    const elapsedSeconds = () => Math.min(maxSeconds, Math.floor((Date.now() - startedAt) / 1000));
    const showElapsed = () => {
      status.textContent = labels.recording.replace("%s", String(elapsedSeconds()));
    };

    const clearPreview = () => {
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = "";
      preview.removeAttribute("src");
      preview.hidden = true;
    };

    const releaseMicrophone = () => {
      window.clearInterval(ticker);
      window.clearTimeout(limitTimer);
      ticker = 0;
      limitTimer = 0;
      if (micStream) micStream.getTracks().forEach((track) => track.stop());
      micStream = null;
      root.classList.remove("is-recording");
    };

    const attach = (blob, type) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([blob], fileNameFor(type), { type: type || blob.type || "audio/webm" }));
      settingFiles = true;
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      settingFiles = false;
    };

    const sendPendingForm = () => {
      if (!pendingSubmit) return;
      const { form, submitter } = pendingSubmit;
      pendingSubmit = null;
      if (typeof form.requestSubmit === "function") form.requestSubmit(submitter || undefined);
      else form.submit();
    };

    const finish = (stopped) => {
      const type = stopped.mimeType || (chunks[0] && chunks[0].type) || "";
      const seconds = elapsedSeconds();
      recorder = null;
      releaseMicrophone();
      const blob = new Blob(chunks, type ? { type } : undefined);
      chunks = [];
      button.textContent = labels.again;
      setBusy(false);
      status.textContent = "";
      if (blob.size) {
        try {
          attach(blob, type);
        } catch {
          pendingSubmit = null;
          showUnsupported();
          return;
        }
        previewUrl = URL.createObjectURL(blob);
        preview.src = previewUrl;
        preview.hidden = false;
        if (labels.done) status.textContent = labels.done.replace("%s", String(seconds));
      }
      sendPendingForm();
    };

    const stop = () => {
      if (recorder && recorder.state !== "inactive") {
        setBusy(true); // until the last chunk has arrived and the file is attached
        recorder.stop();
      }
    };

    const fail = () => {
      recorder = null;
      chunks = [];
      pendingSubmit = null;
      releaseMicrophone();
      button.textContent = labels.start;
      setBusy(false);
      showUnsupported();
    };

    const start = async () => {
      setBusy(true);
      try {
        micStream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch {
        // Refused, no microphone, or not allowed here: the file input is still there.
        micStream = null;
        setBusy(false);
        button.hidden = true;
        showUnsupported();
        input.focus(); // the button is gone; keep keyboard users where they can still send a file
        return;
      }
      const mimeType = pickMimeType();
      try {
        recorder = mimeType ? new MediaRecorder(micStream, { mimeType }) : new MediaRecorder(micStream);
      } catch {
        fail();
        return;
      }
      // "Record again" replaces the earlier recording.
      clearPreview();
      input.value = "";
      chunks = [];
      recorder.addEventListener("dataavailable", (event) => {
        if (event.data && event.data.size) chunks.push(event.data);
      });
      const current = recorder;
      // A recorder that failed (or was replaced) may still fire "stop"; only the current one finishes.
      current.addEventListener("stop", () => {
        if (recorder === current) finish(current);
      });
      current.addEventListener("error", () => {
        if (recorder === current) fail();
      });
      try {
        recorder.start(1000);
      } catch {
        fail();
        return;
      }
      startedAt = Date.now();
      root.classList.add("is-recording");
      root.classList.remove("voice-unsupported");
      button.textContent = labels.stop;
      setBusy(false);
      showElapsed();
      ticker = window.setInterval(showElapsed, 1000);
      limitTimer = window.setTimeout(stop, maxSeconds * 1000);
    };

    button.addEventListener("click", () => {
      if (busy) return;
      if (recorder && recorder.state === "recording") stop();
      else if (!recorder) start();
    });

    // A file chosen by hand replaces the recording.
    input.addEventListener("change", () => {
      if (settingFiles) return;
      clearPreview();
      if (!recorder) {
        button.textContent = labels.start;
        status.textContent = "";
      }
    });

    // Sent while still recording: finish the recording first, then send the form with it.
    const form = input.form;
    if (form) {
      form.addEventListener("submit", (event) => {
        if (recorder && recorder.state === "recording") {
          event.preventDefault();
          pendingSubmit = { form, submitter: event.submitter || null };
          stop();
        }
      });
    }

    window.addEventListener("pagehide", () => {
      if (recorder && recorder.state !== "inactive") recorder.stop();
      releaseMicrophone();
    });
  };

  const init = () => document.querySelectorAll("[data-voice-recorder]").forEach(setup);

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
