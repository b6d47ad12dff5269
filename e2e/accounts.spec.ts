import { createAccount, expect, newTestUser, test } from "./support/fixtures";

test.describe("accounts", () => {
  test("registering lands the new user signed in on the chat shell", async ({ page, registerPage, shell }) => {
    const user = newTestUser("Alice");
    await registerPage.goto();
    await registerPage.register(user);
    await shell.expectSignedInAs(user.displayName);
    await expect(shell.conversations.getByText("No conversations yet.")).toBeVisible();
    await expect(page).toHaveTitle("Chat");
  });

  test("a taken username and a too-short password are explained in an alert", async ({ page, request, registerPage }) => {
    const taken = newTestUser("Taken");
    await createAccount(request, taken);
    await registerPage.goto();
    await registerPage.register({ ...newTestUser("Other"), username: taken.username });
    await expect(registerPage.alert).toHaveText("That username is already taken");
    await registerPage.register({ ...newTestUser("Other"), password: "short" });
    await expect(registerPage.alert).toHaveText("Password must be at least 8 characters");
    await expect(page).toHaveURL(/\/register$/);
  });

  test("signing out and back in", async ({ page, request, loginPage, shell }) => {
    const user = newTestUser("Bob");
    await createAccount(request, user);
    await loginPage.goto();
    await loginPage.signIn(user);
    await shell.expectSignedInAs(user.displayName);
    await shell.signOut();
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
    await loginPage.signIn(user);
    await shell.expectSignedInAs(user.displayName);
  });

  test("a wrong password shows an alert and keeps the user out", async ({ page, request, loginPage }) => {
    const user = newTestUser("Carol");
    await createAccount(request, user);
    await loginPage.goto();
    await loginPage.signIn({ ...user, password: "not-the-password" });
    await expect(loginPage.alert).toHaveText("Wrong username or password");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("repeated failed sign-ins are throttled, even with the right password afterwards", async ({ request, loginPage }) => {
    const user = newTestUser("Dave");
    await createAccount(request, user);
    await loginPage.goto();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await loginPage.signIn({ ...user, password: `wrong-${attempt}` });
      await expect(loginPage.alert).toHaveText("Wrong username or password");
    }
    await loginPage.signIn(user);
    await expect(loginPage.alert).toHaveText(/Too many failed sign-in attempts/);
  });

  test("protected pages redirect to /login when signed out", async ({ page }) => {
    for (const path of ["/", "/c/00000000-0000-4000-8000-000000000000"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login$/);
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    }
  });

  test("a signed-in user who opens the sign-in or registration page is sent to the chat", async ({ alice }) => {
    for (const path of ["/login", "/register"]) {
      await alice.page.goto(path);
      await alice.shell.expectSignedInAs(alice.displayName);
    }
  });
});
