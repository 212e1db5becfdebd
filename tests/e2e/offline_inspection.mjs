// End to end in Debian's Chromium: an officer records a full inspection offline and syncs it.
// It starts at the login screen: a wrong password is refused, then the demo officer logs in. A corrupt
// photo and a mistyped id are rejected with Chinese messages, and the region's offline package is
// downloaded into IndexedDB. Then the fake camera shows a demo placard and the card appears.
// The page goes offline and the officer fills every section of the record. These are the task type,
// the place, a second outlet whose card pre-marks a checklist item, officers and recorder, and the
// checklist. Then come a sampled measurement, a photo, the reason for having no position fix,
// findings, a suspected violation, and the party's signature drawn with mouse drags. Finalizing is refused while the signature is missing.
// The finalized record waits in the outbox with no delete button. Another outlet's card opens from
// the package, and a draft started there is discarded. Back online, the officer syncs twice, and the
// record, acknowledged with its photo, may then be deleted from the device.
// Run by tests/web_e2e.rs, which starts the server and checks what it stored.
//
// Environment: APP_URL (the web app), CAMERA_Y4M (the placard as a Y4M video), OUT_DIR (screenshots),
// UNIT_NAME and OUTLET_CODE (what the card must show), REGION and REGION_OUTLETS (the package to
// download and its size), OTHER_OUTLET_ID and OTHER_UNIT_NAME (an outlet never opened online),
// PREMARK_OUTLET_ID and PREMARK_MN (an outlet of the same permit whose online monitor is down),
// PHOTO_FILE (a picture to attach). NO_FIX_REASON, SAMPLE_NO and VIOLATION_ARTICLE are values that
// the Rust test looks for in the stored record. OFFICER_BADGE_NO and OFFICER_PASSWORD name the account.
// Prints one JSON line with the result.
import { launchChromium, check, recordConsole } from "./browser.mjs";
import { drawStroke, fillOfficers } from "./inspection_form.mjs";
import { logIn } from "./login.mjs";

const env = process.env;
const { APP_URL, CAMERA_Y4M, OUT_DIR, UNIT_NAME, OUTLET_CODE, REGION, REGION_OUTLETS, OTHER_OUTLET_ID, OTHER_UNIT_NAME } = env;
const { PREMARK_OUTLET_ID, PREMARK_MN, PHOTO_FILE, NO_FIX_REASON, SAMPLE_NO, VIOLATION_ARTICLE } = env;
const TIMEOUT_MS = 60_000;

const browser = await launchChromium(CAMERA_Y4M);
const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(TIMEOUT_MS);
const consoleLines = recordConsole(page);

try {
  await page.goto(APP_URL);

  // The login screen comes first; a wrong password is refused with a Chinese message.
  await page.locator("#login-badge").waitFor();
  check((await page.locator("#card, #manual-outlet").count()) === 0, "the scan screen shows before a login");
  await page.fill("#login-badge", env.OFFICER_BADGE_NO);
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

  // Offline from here on: the whole record is made without a network.
  await context.setOffline(true);
  await page.click("#start-inspection");
  await page.locator("#inspection").waitFor();
  const recordNo = (await page.locator("#record-no").innerText()).trim();
  check(/^XJ\d{8}-[0-9A-F]{8}$/.test(recordNo), `record number "${recordNo}" is not XJ + date + 8 hex digits`);
  check((await page.locator("#record-unit").innerText()).includes(UNIT_NAME), "the form lacks the unit name");
  await page.selectOption("#task-type", "special_campaign");
  await page.fill("#place", "示例市示例区示例路1号 锅炉房");

  // A second outlet of the same permit; its cached card has a monitor down, which pre-marks an item.
  await page.fill("#add-outlet", PREMARK_OUTLET_ID);
  await page.click("#add-outlet-button");
  await page.locator(`#record-outlets li[data-outlet="${PREMARK_OUTLET_ID}"]`).waitFor();
  const premark = page.locator("[data-item='AutomaticMonitoring'] .premark");
  await premark.waitFor();
  const premarkText = await premark.innerText();
  check(premarkText.includes(PREMARK_MN), `the premark "${premarkText}" does not name monitor ${PREMARK_MN}`);
  check((await page.locator("#answer-AutomaticMonitoring-DoesNotComply.proposed").count()) === 1, "the proposed answer is not marked");
  check((await page.locator("#checklist button.chosen").count()) === 0, "a premark was taken as an answer");

  // Officers: a third row comes and goes, the second officer writes the record.
  await fillOfficers(page, [["林执法", "35000001"], ["陈执法", "35000002"]]);
  check((await page.locator("#officers button.remove").count()) === 0, "two officers can be removed below the minimum");
  await page.click("#add-officer");
  await page.locator("#officer-2-name").waitFor();
  await page.click("#remove-officer-2");
  await page.locator("#officer-2-name").waitFor({ state: "detached" });
  await page.check("#recorder-1");

  // The checklist: the pre-marked item is confirmed as not complying, every other item complies.
  const items = page.locator("#checklist .checklist-item");
  const itemCount = await items.count();
  check(itemCount === 10, `expected 10 checklist items, found ${itemCount}`);
  for (let i = 0; i < itemCount; i++) {
    const item = await items.nth(i).getAttribute("data-item");
    const answer = item === "AutomaticMonitoring" ? "DoesNotComply" : "Complies";
    await page.click(`#answer-${item}-${answer}`);
    await page.locator(`#answer-${item}-${answer}.chosen`).waitFor();
  }
  await page.locator("[data-item='AutomaticMonitoring'] .premark.answered").waitFor();
  await page.fill("#note-AutomaticMonitoring", "现场核实：在线监测设备故障");

  // A sampled measurement at the first outlet.
  await page.click("#add-measurement");
  await page.locator("#measurement-0-pollutant").waitFor();
  await page.fill("#measurement-0-pollutant", "二氧化硫");
  await page.fill("#measurement-0-value", "21.5");
  await page.fill("#measurement-0-unit", "mg/m³");
  await page.selectOption("#measurement-0-method", "sampling");
  await page.locator("#measurement-0-sample-no").waitFor();
  await page.fill("#measurement-0-sample-no", SAMPLE_NO);

  // A photo, kept on the device until the record is acknowledged.
  await page.setInputFiles("#inspection-photo", PHOTO_FILE);
  await page.locator("#photos li.photo").waitFor();

  await page.fill("#no-fix-reason", NO_FIX_REASON);
  await page.locator("#record-location-text.no-fix", { hasText: NO_FIX_REASON }).waitFor();

  await page.fill("#finding", "2号锅炉在线监测设备故障，未及时报告。");
  await page.selectOption("#violation-article", VIOLATION_ARTICLE);
  await page.click("#add-violation");
  await page.locator(`#violations li[data-article="${VIOLATION_ARTICLE}"]`).waitFor();
  await page.fill("#violation-0-note", "自动监测设备未正常运行");

  // Finalizing without the party's acknowledgement is refused with the reason.
  await page.click("#finalize");
  await page.locator(".notice.error", { hasText: "请当事人签名确认" }).waitFor();
  check((await page.locator("#inspection").count()) === 1, "a record without acknowledgement was finalized");

  // The party signs with two mouse strokes; "sign again" clears the pad first.
  await drawStroke(page, "#party-signature-pad", [[0.1, 0.7], [0.3, 0.2], [0.5, 0.8]]);
  check((await page.locator("#party-signature-pad polyline").count()) === 1, "the first stroke is not drawn");
  await page.click("#party-signature-redo");
  check((await page.locator("#party-signature-pad polyline").count()) === 0, "sign again left strokes");
  await drawStroke(page, "#party-signature-pad", [[0.1, 0.6], [0.25, 0.3], [0.4, 0.65], [0.55, 0.3]]);
  await drawStroke(page, "#party-signature-pad", [[0.6, 0.5], [0.9, 0.45]]);
  await page.click("#party-signature-confirm");
  await page.locator("#party-signed").waitFor();
  const strokes = await page.locator("#party-signature-view").getAttribute("data-strokes");
  check(strokes === "2", `the stored signature has ${strokes} strokes, not 2`);
  await page.screenshot({ path: `${OUT_DIR}/inspection-form.png`, fullPage: true });

  await page.click("#finalize");
  const entry = page.locator(".outbox-entry");
  await page.locator(".outbox-entry .state.queued").waitFor();
  check((await entry.locator(".record-no").innerText()).trim() === recordNo, "the outbox shows another record number");
  check((await entry.locator(".delete").count()) === 0, "a queued record offers delete");
  await page.click("#sync");
  await page.locator("#sync:not([disabled])").waitFor();
  check((await page.locator(".outbox-entry .state.queued").count()) === 1, "offline sync changed the record's state");
  check((await entry.locator(".delete").count()) === 0, "a record that failed to send offers delete");
  await page.screenshot({ path: `${OUT_DIR}/outbox-offline.png`, fullPage: true });

  // Still offline: an outlet never opened before comes from the package. A draft started there is
  // listed in the outbox, continued, and discarded after the confirm step.
  await page.click("#nav-scan");
  await page.fill("#manual-outlet", OTHER_OUTLET_ID);
  await page.click("#manual-submit");
  await page.locator("#card-source.offline").waitFor();
  check((await page.locator("#card").innerText()).includes(OTHER_UNIT_NAME), `offline card lacks ${OTHER_UNIT_NAME}`);
  await page.click("#start-inspection");
  await page.locator("#inspection").waitFor();
  await page.click("#nav-outbox");
  await page.locator("#drafts .draft-entry").waitFor();
  check((await page.locator("#drafts .draft-entry").count()) === 1, "the outbox does not list exactly the one open draft");
  await page.click("#drafts .open-draft");
  await page.locator("#inspection").waitFor();
  await page.click("#discard-draft");
  await page.locator("#discard-confirm").waitFor();
  await page.click("#discard-yes");
  await page.locator("#inspection").waitFor({ state: "detached" });
  await page.click("#nav-outbox");
  await page.locator(".outbox-entry").waitFor();
  check((await page.locator("#drafts .draft-entry").count()) === 0, "the discarded draft is still listed");

  await context.setOffline(false);
  await page.click("#sync");
  await page.locator(".outbox-entry .state.acknowledged").waitFor();
  await page.locator("#outbox-summary.synced").waitFor();
  await page.click("#sync");
  await page.locator("#sync:not([disabled])").waitFor();
  check((await page.locator(".outbox-entry").count()) === 1, "second sync changed the outbox");
  const inspectionId = await entry.getAttribute("data-id");
  await page.screenshot({ path: `${OUT_DIR}/outbox-synced.png`, fullPage: true });

  // Acknowledged with its photo: now, and only now, the record may leave the device.
  await entry.locator(".delete").click();
  await entry.waitFor({ state: "detached" });

  console.log(JSON.stringify({ ok: true, inspection_id: inspectionId, record_no: recordNo }));
} catch (error) {
  await page.screenshot({ path: `${OUT_DIR}/failure.png`, fullPage: true }).catch(() => {});
  console.log(JSON.stringify({ ok: false, error: String(error), console: consoleLines.slice(-30) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
