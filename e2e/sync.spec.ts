import { expect, test } from "./support/fixtures";
import { numberedMessages, openDirectConversation, sendMessage, sendMessages } from "./support/seed";
import { SocketSwitch } from "./support/socket-switch";

test.describe("sync and the outbox", () => {
  test("Bob offline while Alice sends: back online, he has every message exactly once, in order", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    await sendMessage(alice, conversationId, "Before the outage");
    // Chromium's offline emulation leaves localhost sockets alone, so the connection is cut at the route.
    const bobsSocket = await SocketSwitch.install(bob.page);
    await bob.page.goto(`/c/${conversationId}`);
    await bob.shell.conversation.expectMessages(["Before the outage"]);

    await bobsSocket.cut();
    await expect(bob.shell.connection).not.toHaveAttribute("data-status", "connected");

    await alice.page.goto(`/c/${conversationId}`);
    const typed = ["Typed while Bob is away 1", "Typed while Bob is away 2", "Typed while Bob is away 3"];
    for (const body of typed) await alice.shell.conversation.send(body);
    const scripted = numberedMessages("Sent by a script", 50);
    await sendMessages(alice, conversationId, scripted);
    await alice.shell.conversation.expectMessages(["Before the outage", ...typed, ...scripted]);

    await bobsSocket.restore();
    await bob.shell.expectConnected();
    await bob.shell.conversation.expectMessages(["Before the outage", ...typed, ...scripted]);
  });

  test("a message written offline waits as Sending, survives a reload, and is stored once when back online", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    const socket = await SocketSwitch.install(alice.page);
    await alice.page.goto(`/c/${conversationId}`);
    await alice.shell.expectConnected();

    await socket.cut();
    await expect(alice.shell.connection).not.toHaveAttribute("data-status", "connected");
    await alice.shell.conversation.send("Written offline");
    await expect(alice.shell.conversation.status("Written offline", "Sending")).toBeVisible();

    await alice.page.reload();
    await expect(alice.shell.conversation.status("Written offline", "Sending")).toBeVisible();
    await expect(alice.shell.connection).not.toHaveAttribute("data-status", "connected");

    await socket.restore();
    await alice.shell.expectConnected();
    await expect(alice.shell.conversation.message("Written offline")).toContainText(/Sent|Delivered|Read/);
    await alice.shell.conversation.expectMessages(["Written offline"]);

    await bob.page.goto(`/c/${conversationId}`);
    await bob.shell.conversation.expectMessages(["Written offline"]);
    const stored = await bob.context.request.get(`/api/conversations/${conversationId}/messages`);
    const page = (await stored.json()) as { messages: { body: string }[] };
    expect(page.messages.map((message) => message.body)).toEqual(["Written offline"]);
  });

  test("a send whose answer is lost is retried with the same client id and stored once", async ({ alice, bob }) => {
    const conversationId = await openDirectConversation(alice, bob);
    const socket = await SocketSwitch.install(alice.page);
    await alice.page.goto(`/c/${conversationId}`);
    await alice.shell.expectConnected();

    socket.loseTheNextSendsAnswer();
    await alice.shell.conversation.send("Did this arrive?");
    await expect(alice.shell.conversation.status("Did this arrive?", "Sending")).toBeVisible();
    // Stored on the first attempt: Bob has it while Alice still waits for an answer.
    await bob.page.goto(`/c/${conversationId}`);
    await bob.shell.conversation.expectMessages(["Did this arrive?"]);

    // The retry after the send timeout gets the original message back. Wait for the retry itself: the
    // page's catch-up on load can answer after the send was stored and show the message before it.
    await expect.poll(() => socket.sentClientMsgIds.length, { timeout: 20_000 }).toBe(2);
    await expect(alice.shell.conversation.message("Did this arrive?")).toContainText(/Sent|Delivered|Read/);
    expect(socket.sentClientMsgIds).toHaveLength(2);
    expect(new Set(socket.sentClientMsgIds).size).toBe(1);
    await alice.shell.conversation.expectMessages(["Did this arrive?"]);
    await bob.shell.conversation.expectMessages(["Did this arrive?"]);
    await bob.page.reload();
    await bob.shell.conversation.expectMessages(["Did this arrive?"]);
  });
});
