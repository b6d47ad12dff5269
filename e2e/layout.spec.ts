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
    await expect(shell.conversations).toBeInViewport();
    for (const name of ["New chat", "New group", "Account"]) await expect(page.getByRole("button", { name })).toBeInViewport();
    const account = await shell.openAccount();
    await expect(account.getByRole("button", { name: "Sign out" })).toBeInViewport();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}
