import { Nginx, freePort } from "../tests/helpers/cluster";
import { createAccount, expect, newTestUser, signInContext, test } from "./support/fixtures";
import { ConversationView } from "./support/pages";
import { OwnedServer, serverEnv } from "./support/server";

// Several instances share one Postgres and one Redis (PGlite is single-process): real ones, always.
const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

test("two instances behind nginx: people on different instances chat live with receipts, typing and presence", async ({ browser }) => {
  test.setTimeout(180_000);
  const ports = [await freePort(), await freePort()];
  const instances = ports.map(
    (port) => new OwnedServer(port, { ...serverEnv({ port, dataDir: `.e2e/multi-${port}` }), DATABASE_URL, REDIS_URL }),
  );
  await Promise.all(instances.map((instance) => instance.start()));
  const nginx = new Nginx(await freePort(), ports);
  await nginx.start();
  const [a, b] = instances as [OwnedServer, OwnedServer];
  const balanced = `http://localhost:${nginx.port}`;
  try {
    const alice = newTestUser("Alice");
    const bob = newTestUser("Bob");
    const aliceContext = await browser.newContext({ baseURL: a.baseURL });
    const bobContext = await browser.newContext({ baseURL: balanced });
    const bobId = await createAccount(bobContext.request, bob);
    await createAccount(aliceContext.request, alice);
    await signInContext(aliceContext, alice);
    await signInContext(bobContext, bob);
    const opened = await aliceContext.request.post("/api/conversations/direct", { data: { userId: bobId } });
    const { conversation } = (await opened.json()) as { conversation: { id: string } };

    const aliceOnA = await aliceContext.newPage();
    await aliceOnA.goto(`/c/${conversation.id}`);
    const aliceOnB = await aliceContext.newPage();
    await aliceOnB.goto(`${b.baseURL}/c/${conversation.id}`);
    const bobViaNginx = await bobContext.newPage();
    await bobViaNginx.goto(`/c/${conversation.id}`);
    const [aliceView, aliceSecondTab, bobView] = [aliceOnA, aliceOnB, bobViaNginx].map((page) => new ConversationView(page)) as [
      ConversationView,
      ConversationView,
      ConversationView,
    ];
    // Bob's socket lands on A or B (nginx decides); Alice has a tab on each, so every assertion made on
    // both of her tabs crosses instances for one of them.
    const aliceTabs = [aliceView, aliceSecondTab];
    for (const tab of aliceTabs) await expect(tab.presence).toHaveText("Online");

    await aliceView.send("hello from instance A");
    await bobView.expectMessages(["hello from instance A"]);
    await aliceSecondTab.expectMessages(["hello from instance A"]);
    // Bob's open, visible conversation reads it; both of Alice's tabs learn it.
    for (const tab of aliceTabs) await expect(tab.status("hello from instance A", "Read")).toBeVisible();

    await bobView.composer.pressSequentially("typing on the other side");
    for (const tab of aliceTabs) await expect(tab.typingIndicator("Bob is typing…")).toBeVisible();
    await bobView.composer.press("Enter");
    for (const tab of aliceTabs) {
      await tab.expectMessages(["hello from instance A", "typing on the other side"]);
      await expect(tab.typingIndicator("Bob is typing…")).toHaveCount(0);
    }

    await bobContext.close();
    for (const tab of aliceTabs) await expect(tab.presence).toHaveText(/^Last seen/);
    await aliceContext.close();
  } finally {
    await nginx.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
  }
});
