// Steps on the inspection form that more than one end-to-end script takes.

/**
 * Draws one stroke with the mouse on the signature pad `selector` of `page`, through `points` given
 * as fractions of the pad's width and height.
 */
export async function drawStroke(page, selector, points) {
  const pad = page.locator(selector);
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box || box.width < 100 || box.height < 40) throw new Error(`signature pad ${selector} is too small: ${JSON.stringify(box)}`);
  const at = ([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const point of points.slice(1)) {
    await page.mouse.move(...at(point), { steps: 8 });
  }
  await page.mouse.up();
}

/** Fills the officer rows from the first on with `officers`, each `[name, badge number]`. */
export async function fillOfficers(page, officers) {
  for (const [index, [name, badgeNo]] of officers.entries()) {
    await page.fill(`#officer-${index}-name`, name);
    await page.fill(`#officer-${index}-badge`, badgeNo);
  }
}
