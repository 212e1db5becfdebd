// The live camera in Debian's Chromium, with fake cameras that play Y4M videos of a demo placard.
// Far away: the scan screen shows "move closer" in either language while frames keep coming. The
// camera's tracks end when the officer leaves the scan screen and when the page is hidden. Photographed
// at an angle: the outlet's card opens as a genuine placard and the camera's tracks end.
// Run by tests/web_camera.rs, which starts the server and builds the videos.
//
// Environment: APP_URL (the web app), FAR_Y4M and TILTED_Y4M (the two videos), OUT_DIR (screenshots),
// UNIT_NAME and OUTLET_CODE (what the card must show), OFFICER_BADGE_NO and OFFICER_PASSWORD (the
// account each browser logs in with). Prints one JSON line with the result, including
// the frame rate and the longest main-thread task measured while aiming.
import { launchChromium } from "./browser.mjs";
import { logIn } from "./login.mjs";

const { APP_URL, FAR_Y4M, TILTED_Y4M, OUT_DIR, UNIT_NAME, OUTLET_CODE } = process.env;
const TIMEOUT_MS = 60_000;
// Frames to wait for before measuring the rate while aiming.
const AIMING_FRAMES = 12;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Starts Chromium with a fake camera playing `y4m`, and opens the app in a phone-sized page that
// records long main-thread tasks.
async function openApp(y4m, consoleLines) {
  const browser = await launchChromium(y4m);
  const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  await page.goto(APP_URL);
  await logIn(page);
  return { browser, page };
}

// True when the last camera that started has tracks and every one of them ended.
function tracksEnded(page) {
  return page.evaluate(() => {
    const camera = window.__outletCamera;
    return Boolean(camera && camera.tracks.length > 0 && camera.tracks.every((track) => track.readyState === "ended"));
  });
}

async function waitForTracksEnded(page, what) {
  try {
    await page.waitForFunction(() => {
      const camera = window.__outletCamera;
      return camera && camera.tracks.length > 0 && camera.tracks.every((track) => track.readyState === "ended");
    });
  } catch (error) {
    throw new Error(`the camera's tracks did not end ${what}: ${error}`);
  }
}

// Frames sent while aiming: their rate, and the long tasks the page had in that time.
function aimingStats(page) {
  return page.evaluate(() => {
    const times = window.__outletCamera.frameTimes;
    const first = times[0];
    const last = times[times.length - 1];
    const tasks = window.__longTasks.filter((task) => task.start >= first && task.start <= last);
    return {
      frames: times.length,
      seconds: (last - first) / 1000,
      frames_per_second: (times.length - 1) / ((last - first) / 1000),
      long_tasks: tasks.length,
      longest_task_ms: Math.max(0, ...tasks.map((task) => task.duration)),
      frames_decoded: Number(document.getElementById("camera-preview")?.dataset.frames ?? 0),
    };
  });
}

async function aimFarAway(consoleLines) {
  const { browser, page } = await openApp(FAR_Y4M, consoleLines);
  try {
    await page.click("#start-camera");
    await page.locator("#scan-hint", { hasText: "请靠近一些" }).waitFor();
    check((await page.locator("#torch").count()) === 0, "a torch button is shown for a camera without a torch");

    // The page still takes input while frames are decoded: the hint follows the language.
    await page.click("#switch-language");
    await page.locator("#scan-hint", { hasText: "Move closer" }).waitFor();
    await page.click("#switch-language");
    await page.locator("#scan-hint", { hasText: "请靠近一些" }).waitFor();
    await page.screenshot({ path: `${OUT_DIR}/camera-far.png`, fullPage: true });

    await page.waitForFunction((frames) => window.__outletCamera.frameTimes.length >= frames, AIMING_FRAMES);
    const aiming = await aimingStats(page);
    check((await page.locator("#card").count()) === 0, "the far placard opened a card");

    // Leaving the scan screen stops the camera.
    await page.click("#nav-outbox");
    await waitForTracksEnded(page, "after leaving the scan screen");
    check((await page.locator("#camera-preview").count()) === 0, "the preview stayed after leaving the scan screen");

    // Hiding the page stops the camera, and the scan screen offers to start it again.
    await page.click("#nav-scan");
    await page.click("#start-camera");
    await page.waitForFunction(() => window.__outletCamera.tracks.length > 0 && window.__outletCamera.tracks.every((t) => t.readyState === "live"));
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await waitForTracksEnded(page, "after the page was hidden");
    await page.locator("#start-camera").waitFor();
    check((await page.locator("#camera-preview").count()) === 0, "the preview stayed after the page was hidden");
    return aiming;
  } catch (error) {
    await page.screenshot({ path: `${OUT_DIR}/camera-far-failure.png`, fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await browser.close();
  }
}

async function scanTiltedPlacard(consoleLines) {
  const { browser, page } = await openApp(TILTED_Y4M, consoleLines);
  try {
    await page.click("#start-camera");
    const card = page.locator("#card");
    await card.waitFor();
    await page.locator("#placard-check.genuine").waitFor();
    const cardText = await card.innerText();
    check(cardText.includes(UNIT_NAME), `card lacks the unit name ${UNIT_NAME}`);
    check(cardText.includes(OUTLET_CODE), `card lacks the outlet code ${OUTLET_CODE}`);
    check(cardText.includes("标志牌签名有效"), "card does not say genuine placard");
    await page.screenshot({ path: `${OUT_DIR}/camera-card.png`, fullPage: true });

    await waitForTracksEnded(page, "after the card opened");
    return { tracks_ended_after_card: await tracksEnded(page), frames_until_card: await page.evaluate(() => window.__outletCamera.frameTimes.length) };
  } catch (error) {
    await page.screenshot({ path: `${OUT_DIR}/camera-tilted-failure.png`, fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await browser.close();
  }
}

const consoleLines = [];
try {
  const aiming = await aimFarAway(consoleLines);
  const tilted = await scanTiltedPlacard(consoleLines);
  console.log(JSON.stringify({ ok: true, aiming, ...tilted }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error), console: consoleLines.slice(-30) }));
  process.exitCode = 1;
}
