import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { openDirectConversation, sendMessage } from "./support/seed";

const CHUNKS = "**/_next/static/chunks/**";

/** Fails the first chunk download whose script `matches`; every other chunk is served unchanged. */
async function refuseFirstChunk(page: Page, matches: (script: string) => boolean) {
  const refused = { count: 0 };
  await page.route(CHUNKS, async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (refused.count === 0 && matches(body)) {
      refused.count += 1;
      return route.abort();
    }
    return route.fulfill({ response, body });
  });
  return refused;
}

/** Chunks still downloading when a test ends must finish first: closing the page disposes their responses. */
async function stopRefusing(page: Page) {
  await page.unrouteAll({ behavior: "wait" });
}

// Code that the first screen does not need is downloaded later (dialogs on first open; the socket client,
// the message log and the background agents beside hydration). A failed download must not break the page,
// and the next try must work.

test("a dialog whose code cannot be downloaded says so, and opens on the next try", async ({ alice }) => {
  const { page, shell } = alice;
  await page.goto("/");
  await shell.expectConnected();

  // Every script the page needed is loaded: from now on, new chunks fail.
  const blockChunks = (route: { abort: () => Promise<void> }) => route.abort();
  await page.route(CHUNKS, blockChunks);
  await page.getByRole("button", { name: "New chat" }).click();
  const failure = page.getByRole("alert").filter({ hasText: "could not be opened" });
  await expect(failure).toBeVisible();
  await failure.getByRole("button", { name: "Dismiss" }).click();
  await expect(failure).toHaveCount(0);

  await page.unroute(CHUNKS, blockChunks);
  await page.getByRole("button", { name: "New chat" }).click();
  const dialog = page.getByRole("dialog", { name: "New chat" });
  await expect(dialog.getByRole("searchbox", { name: "Search people" })).toBeFocused();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toHaveCount(0);
});

test("the socket connects even when the first download of its client fails", async ({ alice }) => {
  const { page, shell } = alice;
  // The chunk that carries socket.io-client is the one with engine.io's protocol; its first request fails.
  const refused = await refuseFirstChunk(page, (script) => script.includes("EIO") && script.includes("transport close"));
  await page.goto("/");
  await shell.expectConnected();
  expect(refused.count).toBe(1);
  await stopRefusing(page);
});

test("an open conversation shows its messages even when the first download of the message log fails", async ({ alice, bob }) => {
  const conversationId = await openDirectConversation(bob, alice);
  await sendMessage(bob, conversationId, "Hello from Bob");
  const { page, shell } = alice;
  // The message log's chunk is the one that can say it is loading older messages; its first request fails.
  const refused = await refuseFirstChunk(page, (script) => script.includes("Loading older messages"));
  await page.goto(`/c/${conversationId}`);
  await expect(shell.conversation.log.getByRole("status")).toHaveText("Loading messages…");
  await expect(shell.conversation.composer).toBeEditable();
  await shell.conversation.expectMessages(["Hello from Bob"]);
  expect(refused.count).toBe(1);
  await stopRefusing(page);
});
