import { expect, test } from "./support/fixtures";
import { ChatShell } from "./support/pages";
import { openDirectConversation, sendMessages } from "./support/seed";

test.describe("blocking and deleting", () => {
  test("when Bob blocks Alice her sends fail with the reason; unblocking restores sending", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    await bob.page.goto(`/c/${conversationId}`);
    await alice.page.goto(`/c/${conversationId}`);
    await alice.shell.expectConnected();

    let settings = await bob.shell.conversation.openSettings();
    await settings.getByRole("button", { name: "Block", exact: true }).click();
    await expect(settings.getByRole("button", { name: "Unblock", exact: true })).toBeVisible();
    await settings.press("Escape");

    await alice.shell.conversation.send("Can you hear me?");
    const refused = alice.shell.conversation.message("Can you hear me?");
    await expect(alice.shell.conversation.status("Can you hear me?", "Failed")).toBeVisible();
    await expect(refused).toContainText("Bob is not accepting your messages");
    await expect(refused.getByRole("button", { name: "Retry" })).toBeVisible();

    settings = await bob.shell.conversation.openSettings();
    await settings.getByRole("button", { name: "Unblock", exact: true }).click();
    await expect(settings.getByRole("button", { name: "Block", exact: true })).toBeVisible();
    await settings.press("Escape");

    await refused.getByRole("button", { name: "Retry" }).click();
    await expect(alice.shell.conversation.status("Can you hear me?", "Read")).toBeVisible();
    await alice.shell.conversation.send("Good, you can");
    await bob.shell.conversation.expectMessages(["Can you hear me?", "Good, you can"]);
    await alice.shell.conversation.expectMessages(["Can you hear me?", "Good, you can"]);
  });

  test("a failed message can be discarded", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    await bob.page.goto(`/c/${conversationId}`);
    const settings = await bob.shell.conversation.openSettings();
    await settings.getByRole("button", { name: "Block", exact: true }).click();
    await expect(settings.getByRole("button", { name: "Unblock", exact: true })).toBeVisible();

    await alice.page.goto(`/c/${conversationId}`);
    await alice.shell.conversation.send("Never mind");
    await expect(alice.shell.conversation.status("Never mind", "Failed")).toBeVisible();
    await alice.shell.conversation.message("Never mind").getByRole("button", { name: "Discard" }).click();
    await alice.shell.conversation.expectMessages([]);
    await alice.page.reload();
    await expect(alice.shell.conversation.heading).toHaveText("Bob");
    await alice.shell.conversation.expectMessages([]);
  });

  test("Delete for me removes a message from all of Bob's tabs while Alice keeps it", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    const all = ["Keep this", "Delete this", "Keep this too"];
    await sendMessages(alice, conversationId, all);

    const otherTab = await bob.context.newPage();
    const otherShell = new ChatShell(otherTab);
    await bob.page.goto(`/c/${conversationId}`);
    await otherTab.goto(`/c/${conversationId}`);
    await bob.shell.conversation.expectMessages(all);
    await otherShell.conversation.expectMessages(all);

    await bob.shell.conversation.deleteForMe("Delete this");
    const kept = ["Keep this", "Keep this too"];
    await bob.shell.conversation.expectMessages(kept);
    await otherShell.conversation.expectMessages(kept);

    await alice.page.goto(`/c/${conversationId}`);
    await alice.shell.conversation.expectMessages(all);
    await bob.page.reload();
    await bob.shell.conversation.expectMessages(kept);
  });
});
