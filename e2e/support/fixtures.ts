import { randomBytes } from "node:crypto";
import { test as base, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ChatShell, LoginPage, RegisterPage } from "./pages";

export interface TestUser {
  username: string;
  displayName: string;
  password: string;
}

export function newTestUser(displayName: string): TestUser {
  return { username: `${displayName.toLowerCase()}_${randomBytes(4).toString("hex")}`, displayName, password: `pw-${randomBytes(6).toString("hex")}` };
}

/** The fast seeding path: the public registration API, no browser needed. Resolves with the new user's id. */
export async function createAccount(request: APIRequestContext, user: TestUser): Promise<string> {
  const response = await request.post("/api/register", { data: user });
  if (response.status() !== 201) throw new Error(`could not register ${user.username}: ${await response.text()}`);
  const { user: created } = (await response.json()) as { user: { id: string } };
  return created.id;
}

/** Signs a browser context in through next-auth's credentials endpoint, as the sign-in form does. */
export async function signInContext(context: BrowserContext, user: TestUser) {
  const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await context.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, username: user.username, password: user.password, json: "true" },
  });
  if (!response.ok()) throw new Error(`could not sign ${user.username} in: ${response.status()}`);
}

export interface SignedInUser extends TestUser {
  id: string;
  context: BrowserContext;
  page: Page;
  shell: ChatShell;
}

async function signedInUser(browser: Browser, request: APIRequestContext, displayName: string): Promise<SignedInUser> {
  const user = newTestUser(displayName);
  const id = await createAccount(request, user);
  const context = await browser.newContext();
  await signInContext(context, user);
  const page = await context.newPage();
  return { ...user, id, context, page, shell: new ChatShell(page) };
}

interface Fixtures {
  registerPage: RegisterPage;
  loginPage: LoginPage;
  shell: ChatShell;
  /** Separately signed-in browser contexts, one per person, for multi-user flows. */
  alice: SignedInUser;
  bob: SignedInUser;
  carol: SignedInUser;
}

const personFixture = (displayName: string) =>
  async ({ browser, request }: { browser: Browser; request: APIRequestContext }, use: (user: SignedInUser) => Promise<void>) => {
    const user = await signedInUser(browser, request, displayName);
    await use(user);
    await user.context.close();
  };

export const test = base.extend<Fixtures>({
  registerPage: async ({ page }, use) => use(new RegisterPage(page)),
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  shell: async ({ page }, use) => use(new ChatShell(page)),
  alice: personFixture("Alice"),
  bob: personFixture("Bob"),
  carol: personFixture("Carol"),
});

export { expect } from "@playwright/test";
