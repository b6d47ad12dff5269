import { expect, test } from "./support/fixtures";
import { openDirectConversation, sendMessage } from "./support/seed";

test("on a phone the list and the conversation take turns, with a way back", async ({ alice, bob }) => {
  const conversationId = await openDirectConversation(alice, bob);
  await sendMessage(bob, conversationId, "Hello from Bob");
  const { page, shell } = alice;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");

  await shell.openConversation("Bob");
  await expect(page).toHaveURL(new RegExp(`/c/${conversationId}$`));
  await expect(shell.conversations).toBeHidden();
  await expect(shell.conversation.message("Hello from Bob")).toBeInViewport();
  await expect(shell.conversation.composer).toBeInViewport();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await page.getByRole("link", { name: "Back to conversations" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(shell.conversations).toBeInViewport();
  await expect(shell.conversation.log).toBeHidden();
});

test("a conversation that is not yours is not found", async ({ alice, bob, carol }) => {
  const conversationId = await openDirectConversation(alice, bob);
  await carol.page.goto(`/c/${conversationId}`);
  await expect(carol.page.getByRole("heading", { name: "Conversation not found" })).toBeVisible();
  await expect(carol.shell.conversation.log).toHaveCount(0);
});
