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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const startsWithName = (name: string) => new RegExp(`^${escapeRegExp(name)}\\b`);

export class ChatShell {
  readonly conversation: ConversationView;

  constructor(private readonly page: Page) {
    this.conversation = new ConversationView(page);
  }

  get conversations() {
    return this.page.getByRole("navigation", { name: "Conversations" });
  }

  /** The list entry whose link name begins with the peer's display name. */
  conversationItem(name: string) {
    return this.conversations.getByRole("listitem").filter({ has: this.page.getByRole("link", { name: startsWithName(name) }) });
  }

  conversationLink(name: string) {
    return this.conversations.getByRole("link", { name: startsWithName(name) });
  }

  unreadBadge(name: string, count: number) {
    return this.conversationItem(name).getByLabel(`${count} unread`, { exact: true });
  }

  /** Any "N unread" badge in that entry. */
  anyUnreadBadge(name: string) {
    return this.conversationItem(name).getByLabel(/^\d+ unread$/);
  }

  totalUnread(count: number) {
    return this.page.getByLabel(`${count} unread in total`, { exact: true });
  }

  get anyTotalUnread() {
    return this.page.getByLabel(/^\d+ unread in total$/);
  }

  mentionedMarker(name: string) {
    return this.conversationItem(name).getByRole("img", { name: "Mentioned", exact: true });
  }

  /** New group → name → tick each member found by searching → Create group: lands in the group. */
  async createGroup(title: string, members: ReadonlyArray<{ search: string; displayName: string }>) {
    await this.page.getByRole("button", { name: "New group" }).click();
    const dialog = this.page.getByRole("dialog", { name: "New group" });
    await dialog.getByRole("textbox", { name: "Group name" }).fill(title);
    for (const member of members) {
      await dialog.getByRole("searchbox", { name: "Search people" }).fill(member.search);
      await dialog.getByRole("checkbox", { name: member.displayName, exact: true }).check();
    }
    await dialog.getByRole("button", { name: "Create group" }).click();
    await expect(this.page).toHaveURL(/\/c\/[0-9a-f-]+$/);
    await expect(this.conversation.heading).toHaveText(title);
  }

  async openConversation(name: string) {
    await this.conversationLink(name).click();
    await expect(this.conversation.heading).toHaveText(name);
  }

  /** New chat → search → choose: lands in the one-to-one conversation with that person. */
  async startChat(search: string, displayName: string) {
    await this.page.getByRole("button", { name: "New chat" }).click();
    const dialog = this.page.getByRole("dialog", { name: "New chat" });
    await dialog.getByRole("searchbox", { name: "Search people" }).fill(search);
    await dialog.getByRole("button", { name: displayName, exact: true }).click();
    await expect(this.page).toHaveURL(/\/c\/[0-9a-f-]+$/);
    await expect(this.conversation.heading).toHaveText(displayName);
  }

  get connection() {
    return this.page.getByTestId("connection-status");
  }

  async expectConnected() {
    await expect(this.connection).toHaveAttribute("data-status", "connected");
  }

  async expectSignedInAs(displayName: string) {
    await expect(this.page).toHaveURL(/\/$/);
    await expect(this.conversations).toBeVisible();
    await expect(this.page.getByTestId("current-user")).toHaveText(displayName);
  }

  /** Account → the dialog with do-not-disturb, notifications and Sign out. */
  async openAccount() {
    await this.page.getByRole("button", { name: "Account" }).click();
    return this.page.getByRole("dialog", { name: "Account" });
  }

  async signOut() {
    const account = await this.openAccount();
    await account.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/login$/);
  }
}

export class ConversationView {
  constructor(private readonly page: Page) {}

  get main() {
    return this.page.getByRole("main");
  }

  get heading() {
    return this.main.getByRole("heading", { level: 2 });
  }

  get log() {
    return this.page.getByRole("log", { name: "Messages" });
  }

  get messages() {
    return this.log.getByRole("article");
  }

  message(body: string) {
    return this.messages.filter({ hasText: body });
  }

  /** The own-message status (Sending, Sent, Delivered, Read, Failed) shown on that message. */
  status(body: string, status: string) {
    return this.message(body).getByText(status, { exact: true });
  }

  get composer() {
    return this.page.getByRole("textbox", { name: "Message" });
  }

  async send(body: string) {
    await this.composer.fill(body);
    await this.composer.press("Enter");
    await expect(this.composer).toHaveValue("");
  }

  /** Exactly these messages, in this order, each once. */
  async expectMessages(bodies: readonly string[]) {
    // innerText keeps the line break between a body and its time, so a body cannot run into the next text.
    await expect(this.messages).toHaveText(
      bodies.map((body) => new RegExp(`^${escapeRegExp(body)}(?!\\S)`)),
      { useInnerText: true },
    );
  }

  /** More actions → one of Edit, Recall, Delete for me. */
  async messageAction(body: string, action: "Edit" | "Recall" | "Delete for me") {
    const message = this.message(body);
    await message.hover();
    await message.getByRole("button", { name: "More actions" }).click();
    await this.page.getByRole("menu").getByRole("menuitem", { name: action, exact: true }).click();
  }

  async deleteForMe(body: string) {
    await this.messageAction(body, "Delete for me");
  }

  typingIndicator(text: string) {
    return this.page.getByRole("status").filter({ hasText: text });
  }

  /** The peer's Online / Away / Last seen … next to the heading. */
  get presence() {
    return this.main.getByTestId("presence");
  }

  /** A system message (membership change), in words. */
  systemMessage(text: string) {
    return this.messages.filter({ hasText: text });
  }

  async openSettings() {
    await this.main.getByRole("button", { name: "Conversation settings" }).click();
    return this.page.getByRole("dialog", { name: "Conversation settings" });
  }
}
