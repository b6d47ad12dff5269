import { expect, test } from "./support/fixtures";
import { openDirectConversation, sendMessage } from "./support/seed";

test("the signed-in shell connects its socket over the websocket transport", async ({ alice }) => {
  const { page, shell } = alice;
  const socketUrls: string[] = [];
  page.on("websocket", (socket) => socketUrls.push(socket.url()));
  await page.goto("/");
  await expect(shell.connection).toHaveAttribute("data-status", "connected");
  await expect(shell.connection).toHaveAttribute("data-transport", "websocket");
  await expect(shell.connection).toHaveText("Connected");
  expect(socketUrls.some((url) => url.includes("/socket.io/") && url.includes("transport=websocket"))).toBe(true);
});

test("a socket without a session is refused", async ({ page }) => {
  await page.goto("/login");
  const refusal = await page.evaluate(async () => {
    const socket = new WebSocket(`ws://${location.host}/socket.io/?EIO=4&transport=websocket`);
    return new Promise<string>((resolve) => {
      socket.onmessage = (event) => {
        const frame = String(event.data);
        if (frame.startsWith("0")) socket.send("40");
        if (frame.startsWith("44")) resolve(frame);
      };
      socket.onclose = () => resolve("closed");
    });
  });
  expect(refusal).toContain("unauthorized:session");
});

test("moving between conversations and back to the list keeps the shell and its one socket", async ({ alice, bob, carol }) => {
  await sendMessage(alice, await openDirectConversation(alice, bob), "Hi Bob");
  await sendMessage(alice, await openDirectConversation(alice, carol), "Hi Carol");
  const { page, shell } = alice;
  const sockets: string[] = [];
  page.on("websocket", (socket) => {
    if (socket.url().includes("/socket.io/")) sockets.push(socket.url());
  });
  await page.goto("/");
  await shell.expectConnected();

  await shell.openConversation("Bob");
  await shell.openConversation("Carol");
  await page.goBack();
  await expect(shell.conversation.heading).toHaveText("Bob");
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await shell.conversation.log.waitFor({ state: "detached" });
  await shell.expectConnected();
  expect(sockets).toHaveLength(1);
});
