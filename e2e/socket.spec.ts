import { expect, test } from "./support/fixtures";

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
