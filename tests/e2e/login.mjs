// Logs the web app in on its login screen, as an officer does: badge number and password, then waits
// until the header names the account. Shared by the end-to-end scripts.

/**
 * Logs in on `page` with `badgeNo` and `password` (the demo officer by default: OFFICER_BADGE_NO and
 * OFFICER_PASSWORD, which the Rust test sets).
 */
export async function logIn(page, badgeNo = process.env.OFFICER_BADGE_NO, password = process.env.OFFICER_PASSWORD) {
  if (!badgeNo || !password) throw new Error("OFFICER_BADGE_NO and OFFICER_PASSWORD must name an account");
  await page.locator("#login-badge").waitFor();
  await page.fill("#login-badge", badgeNo);
  await page.fill("#login-password", password);
  await page.click("#login-submit");
  await page.locator("#session-account", { hasText: badgeNo }).waitFor();
}
