// Camera bridge, run through document::eval while the camera component is mounted. Streams the rear
// camera into #camera-preview and sends greyscale frames to Rust (longest side at most 800 px, base64).
// One frame is in flight at a time: after each frame the script waits for Rust's "next", sent once the
// core decoded it, and then pauses so the page can render and take input between two decodes.
//
// Messages to Rust: {width, height, luma} a frame; {error} the camera could not be opened;
// {torch} the track supports a torch, and whether it is on; {stopped: "hidden"} the page was hidden,
// so the camera was stopped. Messages from Rust: "next", and {torch: true|false} to switch the torch.
//
// window.__outletStopCamera() stops the stream. window.__outletCamera exposes the tracks and the
// frame times for the end-to-end tests.
const MAX_SIDE = 800;
// Target time from one frame to the next. A decode that takes longer delays the next frame; it never
// queues frames.
const FRAME_PERIOD_MS = 200;
// Time always left to the page between two frames, whatever the decode took.
const MIN_PAUSE_MS = 50;
// Frame times kept for the tests; older ones are dropped.
const MAX_FRAME_TIMES = 600;

const status = { tracks: [], frameTimes: [], stopped: false };
window.__outletCamera = status;
let stream = null;
let track = null;
let frameDecoded = null;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function stop() {
  if (status.stopped) return;
  status.stopped = true;
  document.removeEventListener("visibilitychange", onVisibilityChange);
  if (stream) stream.getTracks().forEach((t) => t.stop());
  if (frameDecoded) frameDecoded();
}
window.__outletStopCamera = stop;

function onVisibilityChange() {
  if (document.visibilityState !== "hidden" || status.stopped) return;
  stop();
  dioxus.send({ stopped: "hidden" });
}
document.addEventListener("visibilitychange", onVisibilityChange);

async function setTorch(on) {
  try {
    await track.applyConstraints({ advanced: [{ torch: on }] });
  } catch (e) {
    console.warn("torch not switched", e);
  }
  const settings = track.getSettings ? track.getSettings() : {};
  dioxus.send({ torch: Boolean(settings.torch) });
}

// Handles every message from Rust; the frame loop below only waits for "next".
(async () => {
  while (!status.stopped) {
    const message = await dioxus.recv();
    if (message && typeof message.torch === "boolean") {
      if (track) await setTorch(message.torch);
    } else if (frameDecoded) {
      const resolve = frameDecoded;
      frameDecoded = null;
      resolve();
    }
  }
})();

try {
  stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "environment", width: { ideal: 1280 } },
    audio: false,
  });
} catch (e) {
  dioxus.send({ error: e && e.name ? `${e.name}: ${e.message}` : String(e) });
  return;
}
status.tracks = stream.getVideoTracks();
track = status.tracks[0] || null;
const preview = document.getElementById("camera-preview");
if (status.stopped || !preview) {
  stop();
  return;
}

const capabilities = track && track.getCapabilities ? track.getCapabilities() : {};
if (capabilities.torch) dioxus.send({ torch: false });

const video = document.createElement("video");
video.muted = true;
video.playsInline = true;
video.srcObject = stream;
preview.appendChild(video);
await video.play();
const canvas = document.createElement("canvas");
const context = canvas.getContext("2d", { willReadFrequently: true });

let lastFrameAt = 0;
while (!status.stopped) {
  await sleep(Math.max(MIN_PAUSE_MS, FRAME_PERIOD_MS - (performance.now() - lastFrameAt)));
  // A preview that left the page means the component was removed without stopping the camera.
  if (!preview.isConnected) {
    stop();
    break;
  }
  if (status.stopped || video.readyState < 2 || !video.videoWidth) continue;

  const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
  const width = Math.round(video.videoWidth * scale);
  const height = Math.round(video.videoHeight * scale);
  canvas.width = width;
  canvas.height = height;
  context.drawImage(video, 0, 0, width, height);
  const rgba = context.getImageData(0, 0, width, height).data;
  const luma = new Uint8Array(width * height);
  for (let i = 0, j = 0; j < luma.length; i += 4, j++) {
    luma[j] = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8;
  }
  let binary = "";
  for (let k = 0; k < luma.length; k += 0x8000) {
    binary += String.fromCharCode.apply(null, luma.subarray(k, k + 0x8000));
  }

  lastFrameAt = performance.now();
  status.frameTimes.push(lastFrameAt);
  if (status.frameTimes.length > MAX_FRAME_TIMES) status.frameTimes.shift();
  const decoded = new Promise((resolve) => (frameDecoded = resolve));
  dioxus.send({ width, height, luma: btoa(binary) });
  await decoded;
}
