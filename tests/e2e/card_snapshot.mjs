// The outlet card at phone size in Debian's Chromium: 360×740, geolocation granted and set about
// 1 km from the outlet. Opens the outlet by typed id and checks the special-period marker, the
// SO₂ trend chart with its limit line and exceedance mark, enforcement newest first, the distance
// warning and that nothing scrolls sideways. Then saves a full-page screenshot, opens the outlet's
// public page and checks the same width and the special-period marker there. Run by
// tests/web_card_snapshot.rs, which starts the server.
//
// Environment: APP_URL (the web app), PUBLIC_URL (the outlet's public page), OUT_DIR
// (screenshots), OUTLET_ID (typed into the scan screen), LATITUDE and LONGITUDE (the device's
// position), EXPECTED_DATES (enforcement dates, newest first, comma-separated), OFFICER_BADGE_NO
// and OFFICER_PASSWORD (the account to log in with). Prints one JSON line with the result.
import { launchChromium } from "./browser.mjs";
import { logIn } from "./login.mjs";

const { APP_URL, PUBLIC_URL, OUT_DIR, OUTLET_ID, LATITUDE, LONGITUDE, EXPECTED_DATES } = process.env;
const TIMEOUT_MS = 60_000;
const VIEWPORT = { width: 360, height: 740 };

const browser = await launchChromium();
const context = await browser.newContext({
  viewport: VIEWPORT,
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "zh-CN",
  timezoneId: "Asia/Shanghai",
  geolocation: { latitude: Number(LATITUDE), longitude: Number(LONGITUDE), accuracy: 20 },
  permissions: ["geolocation"],
});
const page = await context.newPage();
page.setDefaultTimeout(TIMEOUT_MS);
const consoleLines = [];
page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));

/** Returns an element's visible text with no-break spaces as plain spaces. */
async function textOf(locator) {
  return (await locator.innerText()).replace(/\u00a0/g, " ");
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

try {
  await page.goto(APP_URL);
  await logIn(page);
  await page.fill("#manual-outlet", OUTLET_ID);
  await page.click("#manual-submit");
  await page.locator("#card-source.server").waitFor();

  // Special period: the banner at the top of the section and the marker on the period itself.
  const banner = page.locator("#special-periods #special-period-in-force .in-force-marker");
  await banner.waitFor();
  check((await banner.innerText()).includes("正在执行"), "special-period banner lacks 正在执行");
  const markedPeriods = await page.locator("#special-periods .special-period.in-force").count();
  check(markedPeriods >= 1, "no special period is marked in force");

  // SO₂ trend: an SVG with the dashed limit line at the committed 35 mg/m³ and one hour marked.
  const so2 = page.locator('figure.trend[data-pollutant="二氧化硫"]');
  const limitLine = so2.locator("svg.trend-chart line.limit-line");
  check((await limitLine.count()) === 1, "SO₂ chart has no limit line");
  check((await limitLine.getAttribute("data-limit")) === "35", "SO₂ limit line is not at 35");
  check((await limitLine.getAttribute("stroke-dasharray")) !== null, "SO₂ limit line is not dashed");
  const marks = so2.locator("circle.exceedance-mark");
  check((await marks.count()) === 1, `expected 1 SO₂ exceedance mark, found ${await marks.count()}`);
  check((await marks.first().getAttribute("data-value")) === "38.2", "the SO₂ mark is not on the 38.2 hour");
  const markY = Number(await marks.first().getAttribute("cy"));
  const limitY = Number(await limitLine.getAttribute("y1"));
  check(markY < limitY, "the exceedance mark is not above the limit line");
  const points = (await so2.locator("polyline.trend-line").getAttribute("points")).trim().split(/\s+/);
  check(points.length === 24, `SO₂ line has ${points.length} points, not 24`);

  // Enforcement history, newest first, the internal record marked.
  const dates = await page.locator("#enforcement .enforcement-action").evaluateAll((items) => items.map((item) => item.dataset.date));
  check(dates.join(",") === EXPECTED_DATES, `enforcement order ${dates.join(",")} is not ${EXPECTED_DATES}`);
  check((await page.locator("#enforcement .enforcement-action.internal .internal-note").count()) === 1, "internal note not shown");

  // The device is about 1 km away, beyond the default 300 m radius.
  const warning = page.locator("#distance-verdict.beyond");
  await warning.waitFor();
  check((await textOf(warning)).includes("300 m"), "distance warning does not name the radius");
  check((await textOf(page.locator("#distance"))).includes("1.0 km"), "distance is not about 1.0 km");

  // Nothing wider than the screen.
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(scrollWidth <= VIEWPORT.width, `page scrolls sideways: ${scrollWidth} px wide`);

  await page.screenshot({ path: `${OUT_DIR}/card-360x740.png`, fullPage: true });

  // The public page at the same size: no sideways scrolling, the special period marked.
  await page.goto(PUBLIC_URL);
  await page.locator(".in-force .marker").waitFor();
  const publicWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(publicWidth <= VIEWPORT.width, `public page scrolls sideways: ${publicWidth} px wide`);
  await page.screenshot({ path: `${OUT_DIR}/public-360x740.png`, fullPage: true });

  console.log(JSON.stringify({ ok: true, enforcement: dates, scroll_width: scrollWidth, public_width: publicWidth }));
} catch (error) {
  await page.screenshot({ path: `${OUT_DIR}/card-failure.png`, fullPage: true }).catch(() => {});
  console.log(JSON.stringify({ ok: false, error: String(error), console: consoleLines.slice(-30) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
