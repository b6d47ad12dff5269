import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { ChatShell, LoginPage } from "./support/pages";
import { openDirectConversation, sendMessage, sendMessages } from "./support/seed";
import { SocketSwitch } from "./support/socket-switch";

/** What the browser does when the user switches to another tab or minimises the window. */
async function hideTab(page: Page) {
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

test.describe("message lifecycle", () => {
  test("Alice recalls a message: Bob's view and list change live to “Alice recalled a message”", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    await sendMessage(alice, conversationId, "Lunch at noon?");
    await bob.page.goto(`/c/${conversationId}`);
    await alice.page.goto(`/c/${conversationId}`);
    await alice.shell.conversation.send("Oops, wrong chat");
    await expect(bob.shell.conversation.message("Oops, wrong chat")).toBeVisible();

    await alice.shell.conversation.messageAction("Oops, wrong chat", "Recall");
    await expect(alice.shell.conversation.message("You recalled a message")).toBeVisible();
    await expect(bob.shell.conversation.message("Alice recalled a message")).toBeVisible();
    await expect(bob.shell.conversation.message("Oops, wrong chat")).toHaveCount(0);
    await expect(bob.shell.conversationItem("Alice")).toContainText("Alice recalled a message");
    await bob.shell.conversation.expectMessages(["Lunch at noon?", "Alice recalled a message"]);

    await bob.page.reload();
    await bob.shell.conversation.expectMessages(["Lunch at noon?", "Alice recalled a message"]);
  });

  test("an edit shows on Bob's side with an edited mark; a recall made while he was offline reaches him on reconnect", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    const bobsSocket = await SocketSwitch.install(bob.page);
    await bob.page.goto(`/c/${conversationId}`);
    await alice.page.goto(`/c/${conversationId}`);
    await alice.shell.conversation.send("See you at 5");
    await alice.shell.conversation.send("Bring snacks");
    await bob.shell.conversation.expectMessages(["See you at 5", "Bring snacks"]);

    await alice.shell.conversation.messageAction("See you at 5", "Edit");
    const editor = alice.page.getByRole("textbox", { name: "Edit message" });
    await editor.fill("See you at 6");
    await editor.press("Enter");
    await expect(editor).toHaveCount(0);
    await expect(bob.shell.conversation.message("See you at 6")).toContainText("edited");
    await bob.shell.conversation.expectMessages(["See you at 6", "Bring snacks"]);

    await bobsSocket.cut();
    await expect(bob.shell.connection).not.toHaveAttribute("data-status", "connected");
    await alice.shell.conversation.messageAction("Bring snacks", "Recall");
    await expect(alice.shell.conversation.message("You recalled a message")).toBeVisible();
    await expect(bob.shell.conversation.message("Bring snacks")).toBeVisible();

    await bobsSocket.restore();
    await bob.shell.expectConnected();
    await bob.shell.conversation.expectMessages(["See you at 6", "Alice recalled a message"]);
  });

  test("Bob sees “Alice is typing…” while she types; it goes when she clears the box or sends", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    await bob.page.goto(`/c/${conversationId}`);
    await alice.page.goto(`/c/${conversationId}`);
    // Typing is only announced over a live connection: both must be connected before Alice types.
    await Promise.all([alice.shell.expectConnected(), bob.shell.expectConnected()]);
    const typing = bob.shell.conversation.typingIndicator("Alice is typing…");

    await alice.shell.conversation.composer.pressSequentially("I was thinking");
    await expect(typing).toBeVisible();
    await expect(alice.shell.conversation.typingIndicator("is typing…")).toHaveCount(0);
    // Well before the indicator would expire by itself (6 s after the last refresh): the stop removed it.
    await alice.shell.conversation.composer.fill("");
    await expect(typing).toHaveCount(0, { timeout: 3_000 });

    await alice.shell.conversation.composer.pressSequentially("Let's meet");
    await expect(typing).toBeVisible();
    await alice.shell.conversation.composer.press("Enter");
    await expect(bob.shell.conversation.message("Let's meet")).toBeVisible();
    await expect(typing).toHaveCount(0, { timeout: 3_000 });
  });

  test("Alice's presence as Bob sees it: Online, Away when her tab is hidden, Last seen after she signs out", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    await alice.page.goto("/");
    await alice.shell.expectConnected();
    await bob.page.goto(`/c/${conversationId}`);
    await expect(bob.shell.conversation.presence).toHaveText("Online");

    await hideTab(alice.page);
    await expect(bob.shell.conversation.presence).toHaveText("Away");

    await alice.shell.signOut();
    await expect(bob.shell.conversation.presence).toHaveText("Last seen just now");
  });
});

test.describe("conversation controls", () => {
  test("mute and pin made on one of Bob's tabs show on the other: Muted, left out of the total, pinned first", async ({ alice, bob, carol }) => {
    const withCarol = await openDirectConversation(carol, bob);
    const withAlice = await openDirectConversation(alice, bob);
    await sendMessage(carol, withCarol, "From Carol");
    await sendMessage(alice, withAlice, "From Alice");

    const otherPage = await bob.context.newPage();
    const otherTab = new ChatShell(otherPage);
    await otherPage.goto("/");
    await expect(otherTab.totalUnread(2)).toBeVisible();
    const items = otherTab.conversations.getByRole("listitem");
    await expect(items).toHaveText([/Alice/, /Carol/]);

    await bob.page.goto(`/c/${withAlice}`);
    let settings = await bob.shell.conversation.openSettings();
    await settings.getByRole("switch", { name: "Mute" }).click();
    await expect(settings.getByRole("switch", { name: "Mute" })).toHaveAttribute("aria-checked", "true");
    await settings.press("Escape");
    await expect(otherTab.conversationItem("Alice").getByRole("img", { name: "Muted" })).toBeVisible();

    // Bob looks elsewhere, so Alice's next messages stay unread.
    await bob.page.goto("/");
    await sendMessages(alice, withAlice, ["Are you there?", "Hello?"]);
    await expect(otherTab.unreadBadge("Alice", 2)).toBeVisible();
    await expect(otherTab.totalUnread(1)).toBeVisible();
    await expect(otherPage).toHaveTitle("(1) Chat");

    await bob.page.goto(`/c/${withCarol}`);
    settings = await bob.shell.conversation.openSettings();
    await settings.getByRole("switch", { name: "Pin" }).click();
    await expect(settings.getByRole("switch", { name: "Pin" })).toHaveAttribute("aria-checked", "true");
    await expect(items).toHaveText([/Carol/, /Alice/]);
    await expect(otherTab.conversationItem("Carol").getByRole("img", { name: "Pinned" })).toBeVisible();
  });

  test("do not disturb, switched on in one tab, is on in Bob's other tab and after signing in again", async ({ bob }) => {
    const otherPage = await bob.context.newPage();
    const otherTab = new ChatShell(otherPage);
    await otherPage.goto("/");
    await bob.page.goto("/");
    await otherTab.expectConnected();
    await bob.shell.expectConnected();

    const account = await bob.shell.openAccount();
    await account.getByRole("combobox", { name: "Ends" }).selectOption({ label: "For 1 hour" });
    await account.getByRole("switch", { name: "Do not disturb" }).click();
    await expect(account.getByRole("switch", { name: "Do not disturb" })).toHaveAttribute("aria-checked", "true");
    await expect(account).toContainText("Silenced until");

    const otherAccount = await otherTab.openAccount();
    await expect(otherAccount.getByRole("switch", { name: "Do not disturb" })).toHaveAttribute("aria-checked", "true");
    await account.press("Escape");

    await bob.shell.signOut();
    await new LoginPage(bob.page).signIn(bob);
    await bob.shell.expectSignedInAs("Bob");
    const again = await bob.shell.openAccount();
    await expect(again.getByRole("switch", { name: "Do not disturb" })).toHaveAttribute("aria-checked", "true");
  });
});
