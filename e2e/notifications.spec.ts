import { createECDH, randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { openDirectConversation, sendMessage, setConversationSettings } from "./support/seed";
import { SocketFrames } from "./support/socket-frames";

async function setTabVisible(page: Page, visible: boolean) {
  await page.evaluate((visible) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (visible ? "visible" : "hidden") });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => !visible });
    document.dispatchEvent(new Event("visibilitychange"));
  }, visible);
}

/** Replaces the Notification API with a recorder that has permission: what the app shows lands in window.__notifications. */
function spyOnNotifications() {
  type Shown = { title: string; body?: string; tag?: string; onclick: (() => void) | null };
  const shown: Shown[] = [];
  class RecordingNotification {
    static permission = "granted";
    static requestPermission = () => Promise.resolve("granted");
    onclick: (() => void) | null = null;
    constructor(
      readonly title: string,
      options: { body?: string; tag?: string } = {},
    ) {
      shown.push(Object.assign(this, { body: options.body, tag: options.tag }));
    }
    close() {}
  }
  Object.defineProperty(window, "Notification", { configurable: true, writable: true, value: RecordingNotification });
  Object.defineProperty(window, "__notifications", { value: shown });
}

const shownNotifications = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __notifications: Array<{ title: string; body?: string; tag?: string }> }).__notifications.map(({ title, body, tag }) => ({
      title,
      body,
      tag,
    })),
  );

const favicon = (page: Page) => page.locator('link[rel~="icon"]').first();

test.describe("notifications", () => {
  test("the service worker registers, and Enable notifications asks permission and says why background push is unavailable", async ({ bob }) => {
    await bob.context.grantPermissions(["notifications"]);
    await bob.page.goto("/");
    await bob.shell.expectConnected();
    const worker = await bob.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return { scope: registration.scope, script: registration.active?.scriptURL };
    });
    expect(new URL(worker.scope).pathname).toBe("/");
    expect(new URL(worker.script!).pathname).toBe("/sw.js");

    const account = await bob.shell.openAccount();
    const toggle = account.getByRole("switch", { name: "Enable notifications" });
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await expect(account.getByRole("switch", { name: "Private previews" })).toBeDisabled();
    await toggle.click();
    // Headless Chromium has no push service: the subscription is refused, and the UI says so.
    await expect(account.getByRole("alert")).toContainText("background notifications could not be set up");
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    await expect(account.getByRole("switch", { name: "Private previews" })).toBeEnabled();

    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await bob.page.reload();
    const again = await bob.shell.openAccount();
    await expect(again.getByRole("switch", { name: "Enable notifications" })).toHaveAttribute("aria-checked", "false");
  });

  test("with a push subscription (the browser's push service stood in for), the toggle registers it with the server and removes it", async ({ bob }) => {
    // A real P-256 key pair and auth secret, as a push service would bind to the subscription.
    const keys = { p256dh: createECDH("prime256v1").generateKeys("base64url"), auth: randomBytes(16).toString("base64url") };
    // Shaped like Chromium's own (the server accepts only the browsers' push services).
    const endpoint = `https://fcm.googleapis.com/fcm/send/e2e-${randomBytes(8).toString("hex")}`;
    await bob.page.addInitScript(
      ({ endpoint, keys }) => {
        let current: object | null = null;
        PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
          const applicationServerKey = options?.applicationServerKey as Uint8Array;
          current = {
            endpoint,
            options: { applicationServerKey: applicationServerKey.slice().buffer, userVisibleOnly: true },
            toJSON: () => ({ endpoint, expirationTime: null, keys }),
            unsubscribe: async () => {
              current = null;
              return true;
            },
          };
          return current as PushSubscription;
        };
        PushManager.prototype.getSubscription = async () => current as PushSubscription | null;
      },
      { endpoint, keys },
    );
    await bob.context.grantPermissions(["notifications"]);
    const frames = await SocketFrames.record(bob.page);
    await bob.page.goto("/");
    await bob.shell.expectConnected();

    const account = await bob.shell.openAccount();
    await account.getByRole("switch", { name: "Enable notifications" }).click();
    await expect(account.getByRole("status").filter({ hasText: "On for this browser" })).toBeVisible();
    expect(frames.inputs("push:subscribe")).toEqual([{ subscription: { endpoint, expirationTime: null, keys }, privatePreviews: false }]);
    expect(frames.answers("push:subscribe")).toEqual([{ ok: true, data: { endpoint, privatePreviews: false } }]);

    await account.getByRole("switch", { name: "Private previews" }).click();
    await expect(account.getByRole("switch", { name: "Private previews" })).toHaveAttribute("aria-checked", "true");
    await expect.poll(() => frames.answers("push:subscribe")).toHaveLength(2);
    expect(frames.answers("push:subscribe")[1]).toEqual({ ok: true, data: { endpoint, privatePreviews: true } });

    await account.getByRole("switch", { name: "Enable notifications" }).click();
    await expect(account.getByRole("switch", { name: "Enable notifications" })).toHaveAttribute("aria-checked", "false");
    await expect.poll(() => frames.answers("push:unsubscribe")).toEqual([{ ok: true, data: { endpoint, removed: true } }]);
  });

  test("a hidden tab shows a notification for a new message, none for a muted conversation or during do not disturb", async ({ alice, bob, carol }) => {
    const withAlice = await openDirectConversation(alice, bob);
    const withCarol = await openDirectConversation(carol, bob);
    await setConversationSettings(bob, withCarol, { muted: true });
    await bob.page.addInitScript(spyOnNotifications);
    await bob.page.goto("/");
    await bob.shell.expectConnected();
    await expect(favicon(bob.page)).toHaveAttribute("href", "/icon.svg");

    const account = await bob.shell.openAccount();
    await account.getByRole("switch", { name: "Enable notifications" }).click();
    await expect(account.getByRole("switch", { name: "Enable notifications" })).toHaveAttribute("aria-checked", "true");
    await account.press("Escape");

    await sendMessage(alice, withAlice, "Visible tab: no notification");
    await expect(bob.shell.unreadBadge("Alice", 1)).toBeVisible();
    await setTabVisible(bob.page, false);
    await sendMessage(alice, withAlice, "Are you free tonight?");
    await expect.poll(() => shownNotifications(bob.page)).toEqual([{ title: "Alice", body: "Are you free tonight?", tag: `conversation:${withAlice}` }]);
    await expect(bob.page).toHaveTitle("(2) Chat");
    await expect(favicon(bob.page)).toHaveAttribute("href", /^data:image\/png;base64,/);

    // Each message is applied before its notification is decided: once the badge shows it, nothing more will come.
    await sendMessage(carol, withCarol, "Muted chatter");
    await expect(bob.shell.unreadBadge("Carol", 1)).toBeVisible();
    const quiet = await bob.shell.openAccount();
    await quiet.getByRole("switch", { name: "Do not disturb" }).click();
    await expect(quiet.getByRole("switch", { name: "Do not disturb" })).toHaveAttribute("aria-checked", "true");
    await quiet.press("Escape");
    await sendMessage(alice, withAlice, "During do not disturb");
    await expect(bob.shell.unreadBadge("Alice", 3)).toBeVisible();
    expect(await shownNotifications(bob.page)).toHaveLength(1);

    await bob.page.evaluate(() => (window as unknown as { __notifications: Array<{ onclick: () => void }> }).__notifications[0]!.onclick());
    await expect(bob.page).toHaveURL(new RegExp(`/c/${withAlice}$`));
    await setTabVisible(bob.page, true);
    await expect(bob.shell.anyUnreadBadge("Alice")).toHaveCount(0);
    await expect(bob.page).toHaveTitle("Chat");
    await expect(favicon(bob.page)).toHaveAttribute("href", "/icon.svg");
  });
});
