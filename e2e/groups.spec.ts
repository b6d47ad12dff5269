import { expect, test } from "./support/fixtures";
import { formAlert } from "./support/pages";
import { createGroup, sendMessage } from "./support/seed";

test.describe("groups", () => {
  test("Alice creates a group with Bob and Carol in the New group dialog; all three chat live", async ({ alice, bob, carol }) => {
    await bob.page.goto("/");
    await carol.page.goto("/");
    await bob.shell.expectConnected();
    await carol.shell.expectConnected();
    await alice.page.goto("/");

    await alice.page.getByRole("button", { name: "New group" }).click();
    const dialog = alice.page.getByRole("dialog", { name: "New group" });
    await dialog.getByRole("button", { name: "Create group" }).click();
    await expect(formAlert(alice.page)).toHaveText("A group needs a name");
    await dialog.getByRole("textbox", { name: "Group name" }).fill("Weekend trip");
    await dialog.getByRole("button", { name: "Create group" }).click();
    await expect(formAlert(alice.page)).toHaveText("A group needs at least one other member");
    await dialog.getByRole("button", { name: "Close" }).click();

    await alice.shell.createGroup("Weekend trip", [
      { search: bob.username, displayName: "Bob" },
      { search: carol.username, displayName: "Carol" },
    ]);
    await expect(alice.shell.conversation.systemMessage('You created the group "Weekend trip"')).toBeVisible();
    await expect(alice.shell.conversation.main.getByText("3 members")).toBeVisible();

    await expect(bob.shell.conversationItem("Weekend trip")).toContainText('Alice created the group "Weekend trip"');
    await expect(bob.shell.unreadBadge("Weekend trip", 1)).toBeVisible();
    await expect(carol.shell.unreadBadge("Weekend trip", 1)).toBeVisible();
    await bob.shell.openConversation("Weekend trip");
    await carol.shell.openConversation("Weekend trip");

    await alice.shell.conversation.send("Hi both!");
    await expect(bob.shell.conversation.message("Hi both!")).toContainText("Alice");
    await expect(carol.shell.conversation.message("Hi both!")).toBeVisible();

    await bob.shell.conversation.send("Hi Alice");
    // Carol answers once she has seen Bob's message: sends from different people have no order otherwise.
    await expect(carol.shell.conversation.message("Hi Alice")).toBeVisible();
    await carol.shell.conversation.send("Count me in");
    for (const person of [alice, bob, carol]) {
      await expect(person.shell.conversation.message("Count me in")).toBeVisible();
      await expect(person.shell.conversation.messages.filter({ hasText: /Hi both!|Hi Alice|Count me in/ })).toHaveText([
        /Hi both!/,
        /Hi Alice/,
        /Count me in/,
      ]);
    }
    await expect(alice.shell.conversation.message("Hi Alice")).toContainText("Bob");
    await expect(alice.shell.conversation.message("Count me in")).toContainText("Carol");
  });

  test("mentioning Carol: @ suggests members, her entry is marked Mentioned with its unread count until she reads it", async ({ alice, bob, carol }) => {
    const groupId = await createGroup(alice, "Planning", [bob, carol]);
    await carol.page.goto("/");
    await bob.page.goto("/");
    await carol.shell.expectConnected();
    await bob.shell.expectConnected();
    await alice.page.goto(`/c/${groupId}`);
    await expect(alice.shell.conversation.heading).toHaveText("Planning");

    const { composer } = alice.shell.conversation;
    const suggestions = alice.page.getByRole("listbox", { name: "Mention suggestions" });
    await composer.pressSequentially("@");
    await expect(suggestions.getByRole("option")).toHaveCount(2);
    const first = suggestions.getByRole("option", { selected: true });
    await expect(first).toHaveCount(1);
    const firstName = await first.getAttribute("aria-label");
    await composer.press("ArrowDown");
    await expect(suggestions.getByRole("option", { selected: true })).not.toHaveAttribute("aria-label", firstName!);
    await composer.press("Escape");
    await expect(suggestions).toHaveCount(0);

    await composer.fill("");
    await composer.pressSequentially("Ready, @Car");
    await expect(suggestions.getByRole("option")).toHaveText([/Carol/]);
    await composer.press("Enter");
    await expect(composer).toHaveValue("Ready, @Carol ");
    await composer.pressSequentially("bring the maps?");
    await composer.press("Enter");
    await expect(composer).toHaveValue("");
    await expect(alice.shell.conversation.message("Ready, @Carol bring the maps?")).toBeVisible();

    await expect(carol.shell.mentionedMarker("Planning")).toBeVisible();
    await expect(carol.shell.unreadBadge("Planning", 2)).toBeVisible();
    await expect(bob.shell.unreadBadge("Planning", 2)).toBeVisible();
    await expect(bob.shell.mentionedMarker("Planning")).toHaveCount(0);

    await carol.shell.openConversation("Planning");
    await expect(carol.shell.conversation.message("Ready, @Carol bring the maps?")).toBeVisible();
    await expect(carol.shell.mentionedMarker("Planning")).toHaveCount(0);
    await expect(carol.shell.anyUnreadBadge("Planning")).toHaveCount(0);
    await carol.page.reload();
    await expect(carol.shell.conversation.heading).toHaveText("Planning");
    await expect(carol.shell.conversationItem("Planning")).toBeVisible();
    await expect(carol.shell.mentionedMarker("Planning")).toHaveCount(0);
  });

  test("Read by N counts the members who read Alice's message, and lists them", async ({ alice, bob, carol }) => {
    const groupId = await createGroup(alice, "Receipts", [bob, carol]);
    await bob.page.goto("/");
    await carol.page.goto("/");
    await alice.page.goto(`/c/${groupId}`);
    await alice.shell.conversation.send("Did everyone see this?");
    const message = alice.shell.conversation.message("Did everyone see this?");
    await expect(message.getByRole("button", { name: "Read by 0" })).toBeVisible();

    await bob.shell.openConversation("Receipts");
    await expect(bob.shell.conversation.message("Did everyone see this?")).toBeVisible();
    await expect(message.getByRole("button", { name: "Read by 1" })).toBeVisible();

    await carol.shell.openConversation("Receipts");
    await expect(carol.shell.conversation.message("Did everyone see this?")).toBeVisible();
    await message.getByRole("button", { name: "Read by 2" }).click();
    const readers = alice.page.getByRole("dialog", { name: "Read by" }).getByRole("list", { name: "Readers" }).getByRole("listitem");
    await expect(readers).toHaveCount(2);
    await expect(readers.filter({ hasText: "Bob" })).toHaveCount(1);
    await expect(readers.filter({ hasText: "Carol" })).toHaveCount(1);
  });

  test("Alice removes Bob: he keeps the history with a notice, gets nothing after it, and cannot write", async ({ alice, bob, carol }) => {
    const groupId = await createGroup(alice, "Book club", [bob, carol]);
    await sendMessage(alice, groupId, "Chapter one by Friday");
    await bob.page.goto(`/c/${groupId}`);
    await carol.page.goto(`/c/${groupId}`);
    await expect(bob.shell.conversation.message("Chapter one by Friday")).toBeVisible();
    await alice.page.goto(`/c/${groupId}`);

    const settings = await alice.shell.conversation.openSettings();
    const members = settings.getByRole("list", { name: "Members" });
    await expect(members.getByRole("listitem")).toHaveCount(3);
    await expect(members.getByRole("listitem").filter({ hasText: "Alice" })).toContainText("Owner");
    await expect(settings.getByRole("button", { name: "Remove Carol" })).toBeVisible();
    await settings.getByRole("button", { name: "Remove Bob" }).click();
    await expect(members.getByRole("listitem")).toHaveCount(2);
    await settings.press("Escape");
    await expect(alice.shell.conversation.systemMessage("You removed Bob")).toBeVisible();

    await expect(bob.page.getByText("You are no longer a member")).toBeVisible();
    await expect(bob.shell.conversation.systemMessage("Alice removed you")).toBeVisible();
    await expect(bob.shell.conversation.composer).toHaveCount(0);

    await alice.shell.conversation.send("Now without Bob");
    await expect(carol.shell.conversation.message("Now without Bob")).toBeVisible();
    await expect(carol.shell.conversation.systemMessage("Alice removed Bob")).toBeVisible();
    await expect(bob.shell.conversation.message("Now without Bob")).toHaveCount(0);

    // After a reload the member list is no longer his to see: the removal reads in the server's words.
    await bob.page.reload();
    await expect(bob.shell.conversation.message("Chapter one by Friday")).toBeVisible();
    await expect(bob.shell.conversation.systemMessage("Alice removed Bob")).toBeVisible();
    await expect(bob.shell.conversation.message("Now without Bob")).toHaveCount(0);
    await expect(bob.page.getByText("You are no longer a member")).toBeVisible();
    await expect(bob.shell.conversationItem("Book club")).not.toContainText("Now without Bob");
  });

  test("adding Carol, an announcement, an admin and leaving: every member's view follows", async ({ alice, bob, carol }) => {
    const groupId = await createGroup(alice, "Garden", [bob]);
    await sendMessage(alice, groupId, "Before Carol joined");
    await bob.page.goto(`/c/${groupId}`);
    await carol.page.goto("/");
    await carol.shell.expectConnected();
    await alice.page.goto(`/c/${groupId}`);

    let settings = await alice.shell.conversation.openSettings();
    await settings.getByRole("button", { name: "Add members" }).click();
    const adding = alice.page.getByRole("dialog", { name: "Add members" });
    await adding.getByRole("searchbox", { name: "Search people" }).fill(carol.username);
    await adding.getByRole("checkbox", { name: "Carol", exact: true }).check();
    await adding.getByRole("button", { name: "Add", exact: true }).click();
    await expect(adding).toHaveCount(0);
    await expect(settings.getByRole("list", { name: "Members" }).getByRole("listitem")).toHaveCount(3);

    await settings.getByRole("textbox", { name: "Announcement" }).fill("Watering rota on the fridge");
    await settings.getByRole("button", { name: "Save changes" }).click();
    await expect(settings.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
    await settings.getByRole("button", { name: "Make Bob an admin" }).click();
    await expect(settings.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: "Bob" })).toContainText("Admin");
    await settings.press("Escape");

    await expect(bob.page.getByRole("region", { name: "Announcement" })).toHaveText("Watering rota on the fridge");
    await expect(bob.shell.conversation.systemMessage("Alice added Carol")).toBeVisible();
    await expect(bob.shell.conversation.systemMessage("You are now an admin")).toBeVisible();
    settings = await bob.shell.conversation.openSettings();
    await expect(settings.getByRole("button", { name: "Add members" })).toBeVisible();
    await expect(settings.getByRole("button", { name: "Remove Carol" })).toBeVisible();
    await expect(settings.getByRole("button", { name: "Remove Alice" })).toHaveCount(0);
    await settings.press("Escape");

    // Carol joined after the first message: her history starts where she was added.
    await carol.shell.openConversation("Garden");
    await expect(carol.shell.conversation.systemMessage("Alice added you")).toBeVisible();
    await expect(carol.shell.conversation.message("Before Carol joined")).toHaveCount(0);
    settings = await carol.shell.conversation.openSettings();
    await expect(settings.getByRole("button", { name: /^Remove / })).toHaveCount(0);
    await settings.getByRole("button", { name: "Leave group" }).click();
    // The conversation's own notice (the open settings panel may say so too).
    await expect(carol.page.getByText("You are no longer a member of this group. You can still read what was said")).toBeVisible();
    await expect(alice.shell.conversation.systemMessage("Carol left")).toBeVisible();
    await expect(alice.shell.conversation.main.getByText("2 members")).toBeVisible();
  });
});
