import { expect, type Page } from "@playwright/test";

/** Next.js renders an always-empty role=alert route announcer; the form's alert is the one with text. */
export const formAlert = (page: Page) => page.getByRole("alert").filter({ hasText: /\S/ });

export class RegisterPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/register");
  }

  async register({ username, displayName, password }: { username: string; displayName: string; password: string }) {
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Display name").fill(displayName);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }

  get alert() {
    return formAlert(this.page);
  }
}

export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/login");
  }

  async signIn({ username, password }: { username: string; password: string }) {
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  get alert() {
    return formAlert(this.page);
  }
}

export class ChatShell {
  constructor(private readonly page: Page) {}

  get conversations() {
    return this.page.getByRole("navigation", { name: "Conversations" });
  }

  get connection() {
    return this.page.getByTestId("connection-status");
  }

  async expectSignedInAs(displayName: string) {
    await expect(this.page).toHaveURL(/\/$/);
    await expect(this.conversations).toBeVisible();
    await expect(this.page.getByTestId("current-user")).toHaveText(displayName);
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/login$/);
  }
}
