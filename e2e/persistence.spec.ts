import { expect, newTestUser, test } from "./support/fixtures";
import { LoginPage, RegisterPage, ChatShell } from "./support/pages";
import { OwnedServer, serverEnv } from "./support/server";

test("accounts survive a server restart on the embedded PGlite database", async ({ browser }) => {
  test.setTimeout(150_000);
  const port = 3190 + test.info().parallelIndex;
  const server = new OwnedServer(port, serverEnv({ port, dataDir: `.e2e/restart-${port}`, pglite: true }));
  await server.start();
  try {
    const user = newTestUser("Persisted");
    const context = await browser.newContext({ baseURL: server.baseURL });
    const page = await context.newPage();
    await new RegisterPage(page).goto();
    await new RegisterPage(page).register(user);
    await new ChatShell(page).expectSignedInAs(user.displayName);
    await context.close();

    expect(await server.stop()).toBe(0);
    expect(server.log).toContain("Database: PGlite");
    await server.start();

    const fresh = await browser.newContext({ baseURL: server.baseURL });
    const freshPage = await fresh.newPage();
    await new LoginPage(freshPage).goto();
    await new LoginPage(freshPage).signIn(user);
    await new ChatShell(freshPage).expectSignedInAs(user.displayName);
    await fresh.close();
  } finally {
    await server.stop();
  }
});
