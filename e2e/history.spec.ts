import { expect, test } from "./support/fixtures";
import { numberedMessages, openDirectConversation, sendMessages } from "./support/seed";

test("scrolling up loads older messages page by page and keeps the reader's place", async ({ alice, bob }) => {
  const conversationId = await openDirectConversation(alice, bob);
  const all = numberedMessages("History", 130);
  await sendMessages(alice, conversationId, all);

  await bob.page.goto(`/c/${conversationId}`);
  const view = bob.shell.conversation;
  await expect(view.message(all.at(-1)!)).toBeInViewport();
  await expect(view.message(all[0]!)).toHaveCount(0);

  const firstLoaded = view.messages.first();
  const firstLoadedText = (await firstLoaded.innerText()).split("\n")[0]!;
  await view.log.evaluate((log) => log.scrollTo({ top: 0 }));
  // Once the older page is in, the message that was on top is still where the reader left it.
  await expect(view.messages).toHaveCount(100);
  await expect(view.message(firstLoadedText)).toBeInViewport();

  await expect(async () => {
    await view.log.evaluate((log) => log.scrollTo({ top: 0 }));
    await expect(view.message(all[0]!)).toBeAttached({ timeout: 1_000 });
  }).toPass();
  await view.expectMessages(all);
  await expect(bob.page.getByText("This is the beginning of your conversation with Alice.")).toBeVisible();
});
