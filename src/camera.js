// Camera bridge, run through document::eval. Streams the rear camera into #camera-preview and sends
// greyscale frames (longest side at most 800 px, base64) to Rust, one at a time: after each frame it
// waits for a reply from Rust before taking the next, so frames never pile up. Sends {error} when the
// camera cannot be opened. window.__outletStopCamera() stops the stream.
const MAX_SIDE = 800;
const FRAME_INTERVAL_MS = 250;
let stopped = false;
let stream = null;
window.__outletStopCamera = () => {
  stopped = true;
  if (stream) stream.getTracks().forEach((track) => track.stop());
};
try {
  stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "environment", width: { ideal: 1280 } },
    audio: false,
  });
} catch (e) {
  dioxus.send({ error: e && e.name ? `${e.name}: ${e.message}` : String(e) });
  return;
}
if (stopped) {
  window.__outletStopCamera();
  return;
}
const video = document.createElement("video");
video.muted = true;
video.playsInline = true;
video.srcObject = stream;
document.getElementById("camera-preview")?.appendChild(video);
await video.play();
const canvas = document.createElement("canvas");
const context = canvas.getContext("2d", { willReadFrequently: true });
while (!stopped) {
  await new Promise((resolve) => setTimeout(resolve, FRAME_INTERVAL_MS));
  if (video.readyState < 2 || !video.videoWidth) continue;
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
  dioxus.send({ width, height, luma: btoa(binary) });
  await dioxus.recv();
}
