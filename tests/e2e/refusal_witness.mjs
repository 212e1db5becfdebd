// End to end in Debian's Chromium, in English: the party refuses to sign and a witness signs instead.
// The officer opens a card by its typed id, fills the record, records the refusal with its reason,
// the witness's name and the witness's signature drawn with the mouse, finalizes and syncs. The
// witness fields stay disabled until a reason is stored, and the officer can go back to the party's
// own signature and return to the refusal.
// Run by tests/web_e2e.rs, which starts the server and checks what it stored.
//
// Environment: APP_URL (the web app), OUT_DIR (screenshots), OUTLET_ID (the outlet to inspect),
// REFUSAL_REASON and WITNESS_NAME (typed into the form and looked for in the stored record),
// OFFICER_BADGE_NO and OFFICER_PASSWORD (the account to log in with).
// Prints one JSON line with the result.
import { launchChromium, check, recordConsole } from "./browser.mjs";
import { drawStroke, fillOfficers } from "./inspection_form.mjs";
import { logIn } from "./login.mjs";

const { APP_URL, OUT_DIR, OUTLET_ID, REFUSAL_REASON, WITNESS_NAME } = process.env;
const TIMEOUT_MS = 60_000;

const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
const page = await context.newPage();
page.setDefaultTimeout(TIMEOUT_MS);
const consoleLines = recordConsole(page);

try {
  await page.goto(APP_URL);
  await logIn(page);
  await page.click("#switch-language");
  await page.locator("header h1", { hasText: "Outlet Inspector" }).waitFor();

  await page.fill("#manual-outlet", OUTLET_ID);
  await page.click("#manual-submit");
  await page.locator("#card").waitFor();
  await page.click("#start-inspection");
  await page.locator("#inspection").waitFor();
  await page.locator("#acknowledgement .meaning", { hasText: "the above record is true" }).waitFor();

  await fillOfficers(page, [["Lin", "35000001"], ["Chen", "35000002"]]);
  const items = page.locator("#checklist .checklist-item");
  for (let i = 0; i < (await items.count()); i++) {
    const item = await items.nth(i).getAttribute("data-item");
    await page.click(`#answer-${item}-NotApplicable`);
    await page.locator(`#answer-${item}-NotApplicable.chosen`).waitFor();
  }
  await page.fill("#no-fix-reason", "No satellite signal in the pump room");

  // The refusal: no witness before a reason is stored.
  await page.click("#party-refuses");
  await page.locator("#refusal-reason").waitFor();
  check(await page.locator("#witness-name").isDisabled(), "the witness name is editable before a refusal is stored");
  check((await page.locator("#witness-signature-pad").count()) === 0, "the witness pad shows before a refusal is stored");
  await page.fill("#refusal-reason", REFUSAL_REASON);
  await page.locator("#witness-name:not([disabled])").waitFor();

  // Going back to the party's signature clears the refusal; the reason is then typed again.
  await page.click("#party-signs-instead");
  await page.locator("#party-signature-pad").waitFor();
  await page.click("#party-refuses");
  await page.fill("#refusal-reason", REFUSAL_REASON);
  await page.fill("#witness-name", WITNESS_NAME);

  await drawStroke(page, "#witness-signature-pad", [[0.2, 0.5], [0.5, 0.2], [0.8, 0.6]]);
  await page.click("#witness-signature-confirm");
  await page.locator("#witness-signature-view").waitFor();
  await page.screenshot({ path: `${OUT_DIR}/refusal-witness.png`, fullPage: true });

  await page.click("#finalize");
  const entry = page.locator(".outbox-entry");
  await entry.waitFor();
  await page.click("#sync");
  await page.locator(".outbox-entry .state.acknowledged", { hasText: "Acknowledged" }).waitFor();
  await page.locator("#outbox-summary.synced").waitFor();
  const inspectionId = await entry.getAttribute("data-id");

  console.log(JSON.stringify({ ok: true, inspection_id: inspectionId }));
} catch (error) {
  await page.screenshot({ path: `${OUT_DIR}/refusal-failure.png`, fullPage: true }).catch(() => {});
  console.log(JSON.stringify({ ok: false, error: String(error), console: consoleLines.slice(-30) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
