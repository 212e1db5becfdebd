// End to end in Debian's Chromium. A corrupt photo and a mistyped id are rejected with Chinese
// messages, and the region's offline package is downloaded into IndexedDB. Then the fake camera shows
// a demo placard and the card appears. The page goes offline, an inspection is recorded and finalized,
// and another outlet's card opens from the package. The page comes back online and the officer syncs twice.
// It starts at the login screen: a wrong password is refused, then the demo officer logs in.
// Run by tests/web_e2e.rs, which starts the server and checks what it stored.
//
// Environment: APP_URL (the web app), CAMERA_Y4M (the placard as a Y4M video), OUT_DIR (screenshots),
// UNIT_NAME and OUTLET_CODE (what the card must show), REGION and REGION_OUTLETS (the package to
// download and its size), OTHER_OUTLET_ID and OTHER_UNIT_NAME (an outlet never opened online),
// OFFICER_BADGE_NO and OFFICER_PASSWORD (the account to log in with).
// Prints one JSON line with the result.
import { launchChromium } from "./browser.mjs";
import { logIn } from "./login.mjs";

const { APP_URL, CAMERA_Y4M, OUT_DIR, UNIT_NAME, OUTLET_CODE, REGION, REGION_OUTLETS, OTHER_OUTLET_ID, OTHER_UNIT_NAME } = process.env;
const TIMEOUT_MS = 60_000;

const browser = await launchChromium(CAMERA_Y4M);
const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(TIMEOUT_MS);
const consoleLines = [];
page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));

function check(condition, message) {
  if (!condition) throw new Error(message);
}

try {
  await page.goto(APP_URL);

  // The login screen comes first; a wrong password is refused with a Chinese message.
  await page.locator("#login-badge").waitFor();
  check((await page.locator("#card, #manual-outlet").count()) === 0, "the scan screen shows before a login");
  await page.fill("#login-badge", process.env.OFFICER_BADGE_NO);
  await page.fill("#login-password", "wrong-password");
  await page.click("#login-submit");
  await page.locator(".notice.error", { hasText: "执法证号或密码错误" }).waitFor();
  await page.screenshot({ path: `${OUT_DIR}/login.png`, fullPage: true });
  await logIn(page);

  // Bad input first: a corrupt photo and a mistyped outlet id each give a Chinese message.
  await page.setInputFiles("#photo", { name: "broken.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not an image") });
  await page.locator(".notice.error", { hasText: "无法读取这张图片" }).waitFor();
  await page.fill("#manual-outlet", "DA001");
  await page.click("#manual-submit");
  await page.locator(".notice.error", { hasText: "编号 DA001 格式不正确" }).waitFor();
  check((await page.locator("#card").count()) === 0, "bad input opened a card");

  // The language switch turns the whole screen to English and back.
  await page.click("#switch-language");
  await page.locator("header h1", { hasText: "Outlet Inspector" }).waitFor();
  await page.locator("#start-camera", { hasText: "Scan with the camera" }).waitFor();
  await page.click("#switch-language");
  await page.locator("header h1", { hasText: "排污口扫码巡检" }).waitFor();

  // The offline package of the region, stored page by page in IndexedDB.
  await page.click("#nav-package");
  await page.fill("#region", REGION);
  await page.click("#download-package");
  await page.locator("#package-status", { hasText: "离线包完整" }).waitFor();
  const packageCards = await page.locator("#package-cards").innerText();
  check(packageCards.includes(`共 ${REGION_OUTLETS} 个`), `package screen says "${packageCards}", not ${REGION_OUTLETS} outlets`);
  await page.screenshot({ path: `${OUT_DIR}/package.png`, fullPage: true });
  await page.click("#nav-scan");

  await page.click("#start-camera");

  const card = page.locator("#card");
  await card.waitFor();
  await page.locator("#card-source.server").waitFor();
  const cardText = await card.innerText();
  check(cardText.includes(UNIT_NAME), `card lacks the unit name ${UNIT_NAME}`);
  check(cardText.includes(OUTLET_CODE), `card lacks the outlet code ${OUTLET_CODE}`);
  await page.locator("#placard-check.genuine").waitFor();
  await page.screenshot({ path: `${OUT_DIR}/card.png`, fullPage: true });

  await context.setOffline(true);
  await page.click("#start-inspection");
  await page.fill("#officer-0-name", "林执法");
  await page.fill("#officer-0-badge", "35000001");
  await page.fill("#officer-1-name", "陈执法");
  await page.fill("#officer-1-badge", "35000002");
  const answers = page.locator("button[id$='-Complies']");
  const answerCount = await answers.count();
  check(answerCount === 10, `expected 10 checklist items, found ${answerCount}`);
  for (let i = 0; i < answerCount; i++) {
    await answers.nth(i).click();
  }
  await page.fill("#finding", "现场检查未发现异常。");
  await page.locator("button.chosen").nth(9).waitFor();
  await page.click("#finalize");

  await page.locator(".outbox-entry .state.queued").waitFor();
  await page.click("#sync");
  await page.locator("#sync:not([disabled])").waitFor();
  check((await page.locator(".outbox-entry .state.queued").count()) === 1, "offline sync changed the record's state");
  await page.screenshot({ path: `${OUT_DIR}/outbox-offline.png`, fullPage: true });

  // Still offline: an outlet never opened before comes from the package.
  await page.click("#nav-scan");
  await page.fill("#manual-outlet", OTHER_OUTLET_ID);
  await page.click("#manual-submit");
  await page.locator("#card-source.offline").waitFor();
  check((await page.locator("#card").innerText()).includes(OTHER_UNIT_NAME), `offline card lacks ${OTHER_UNIT_NAME}`);
  await page.click("#nav-outbox");

  await context.setOffline(false);
  await page.click("#sync");
  await page.locator(".outbox-entry .state.acknowledged").waitFor();
  await page.locator("#outbox-summary.synced").waitFor();
  await page.click("#sync");
  await page.locator("#sync:not([disabled])").waitFor();
  check((await page.locator(".outbox-entry").count()) === 1, "second sync changed the outbox");
  const inspectionId = await page.locator(".outbox-entry").getAttribute("data-id");
  await page.screenshot({ path: `${OUT_DIR}/outbox-synced.png`, fullPage: true });

  console.log(JSON.stringify({ ok: true, inspection_id: inspectionId }));
} catch (error) {
  await page.screenshot({ path: `${OUT_DIR}/failure.png`, fullPage: true }).catch(() => {});
  console.log(JSON.stringify({ ok: false, error: String(error), console: consoleLines.slice(-30) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
