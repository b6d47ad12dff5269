import { expect, test } from "./support/fixtures";

for (const viewport of [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
]) {
  test(`the chat shell is usable at ${viewport.width}px (${viewport.name})`, async ({ alice }) => {
    const { page, shell } = alice;
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.goto("/");
    await shell.expectSignedInAs(alice.displayName);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
    await expect(shell.conversations).toBeInViewport();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}
