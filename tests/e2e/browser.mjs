// Starts Debian's Chromium for the end-to-end scripts. Shared by the scripts.
import { chromium } from "playwright-core";

// Flags that keep headless Chromium quiet on a machine without a network beyond 127.0.0.1.
const QUIET_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches headless Chromium (`CHROMIUM` or /usr/bin/chromium). With `cameraY4m`, the page gets a fake
 * camera that plays that video in a loop, and camera access is granted without a prompt.
 */
export function launchChromium(cameraY4m) {
  const camera = cameraY4m
    ? ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${cameraY4m}`]
    : [];
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [...QUIET_FLAGS, ...camera],
  });
}

/** Collects the page's console lines and uncaught errors, to print when a script fails. */
export function recordConsole(page) {
  const lines = [];
  page.on("console", (message) => lines.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => lines.push(`pageerror: ${error.message}`));
  return lines;
}

/** Throws `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}
