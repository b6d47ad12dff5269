import { expect, test } from "./support/fixtures";
import { ChatShell } from "./support/pages";
import { openDirectConversation, sendMessage } from "./support/seed";

test.describe("one-to-one messaging", () => {
  test("Alice messages Bob through New chat; Bob sees it live with the unread badges and title", async ({ alice, bob }) => {
    await bob.page.goto("/");
    await bob.shell.expectConnected();
    await expect(bob.shell.conversations.getByText("No conversations yet.")).toBeVisible();
    await expect(bob.page).toHaveTitle("Chat");

    await alice.page.goto("/");
    await alice.shell.startChat(bob.username, "Bob");
    await alice.shell.conversation.send("Hi Bob!");
    await expect(alice.shell.conversation.message("Hi Bob!")).toHaveCount(1);

    await expect(bob.shell.conversationItem("Alice")).toContainText("Hi Bob!");
    await expect(bob.shell.unreadBadge("Alice", 1)).toBeVisible();
    await expect(bob.shell.totalUnread(1)).toBeVisible();
    await expect(bob.page).toHaveTitle("(1) Chat");

    await alice.shell.conversation.send("Are you around?");
    await expect(bob.shell.unreadBadge("Alice", 2)).toBeVisible();
    await expect(bob.shell.totalUnread(2)).toBeVisible();
    await expect(bob.page).toHaveTitle("(2) Chat");
    await expect(alice.page).toHaveTitle("Chat");
  });

  test("reading on one of Bob's tabs clears the badges on the other, and Alice sees Delivered then Read", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    const otherTab = await bob.context.newPage();
    const otherShell = new ChatShell(otherTab);
    await bob.page.goto("/");
    await otherTab.goto("/");
    await bob.shell.expectConnected();
    await otherShell.expectConnected();
    await alice.page.goto(`/c/${conversationId}`);

    await alice.shell.conversation.send("Did you get this?");
    await expect(alice.shell.conversation.status("Did you get this?", "Delivered")).toBeVisible();
    await expect(otherShell.unreadBadge("Alice", 1)).toBeVisible();
    await expect(otherTab).toHaveTitle("(1) Chat");

    await bob.shell.openConversation("Alice");
    await expect(bob.shell.conversation.message("Did you get this?")).toBeVisible();

    await expect(otherShell.anyUnreadBadge("Alice")).toHaveCount(0);
    await expect(otherShell.anyTotalUnread).toHaveCount(0);
    await expect(otherTab).toHaveTitle("Chat");
    await expect(bob.page).toHaveTitle("Chat");
    await expect(alice.shell.conversation.status("Did you get this?", "Read")).toBeVisible();
  });

  test("a reload keeps the history, in order", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    await sendMessage(alice, conversationId, "First from Alice");
    await sendMessage(bob, conversationId, "Then Bob answers");
    await alice.page.goto(`/c/${conversationId}`);
    await alice.shell.conversation.send("And Alice again");
    const history = ["First from Alice", "Then Bob answers", "And Alice again"];
    await alice.shell.conversation.expectMessages(history);

    await alice.page.reload();
    await expect(alice.shell.conversation.heading).toHaveText("Bob");
    await alice.shell.conversation.expectMessages(history);
    await expect(alice.shell.conversation.status("And Alice again", "Sent")).toBeVisible();
  });

  test("message text is shown as text, never as HTML; links are safe anchors", async ({ alice, bob }) => {
    const dialogs: string[] = [];
    bob.page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const conversationId = await openDirectConversation(alice, bob);
    await bob.page.goto(`/c/${conversationId}`);
    await alice.page.goto(`/c/${conversationId}`);

    const markup = "<img src=x onerror=alert(1)><b>bold</b>";
    await alice.shell.conversation.send(markup);
    await alice.shell.conversation.send("Docs: https://example.com/guide?a=1&b=2. Not a link: javascript:alert(1)");

    const { log } = bob.shell.conversation;
    await expect(bob.shell.conversation.message(markup)).toHaveCount(1);
    await expect(log.locator("img, b, script")).toHaveCount(0);
    const docs = bob.shell.conversation.message("Docs:");
    const link = docs.getByRole("link");
    await expect(link).toHaveCount(1);
    await expect(link).toHaveText("https://example.com/guide?a=1&b=2");
    await expect(link).toHaveAttribute("href", "https://example.com/guide?a=1&b=2");
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
    expect(dialogs).toEqual([]);
  });

  test("the composer: Enter sends, Shift+Enter breaks the line, blank and oversized messages are not sent", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    await alice.page.goto(`/c/${conversationId}`);
    const { composer } = alice.shell.conversation;
    const send = alice.page.getByRole("button", { name: "Send" });

    await composer.fill("   ");
    await composer.press("Enter");
    await expect(send).toBeDisabled();

    await composer.fill("");
    await composer.pressSequentially("Line one");
    await composer.press("Shift+Enter");
    await composer.pressSequentially("Line two");
    await expect(composer).toHaveValue("Line one\nLine two");
    await composer.press("Enter");
    await expect(composer).toHaveValue("");
    await alice.shell.conversation.expectMessages(["Line one\nLine two"]);

    await composer.fill("x".repeat(4_001));
    await expect(alice.page.getByRole("alert").filter({ hasText: "at most 4,000 characters" })).toBeVisible();
    await expect(send).toBeDisabled();
    await composer.press("Enter");
    await expect(composer).toHaveValue("x".repeat(4_001));
    await alice.shell.conversation.expectMessages(["Line one\nLine two"]);
  });
});
