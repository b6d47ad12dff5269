import { signIn } from "next-auth/react";

const messages: Record<string, string> = {
  "unauthorized:credentials": "Wrong username or password",
  "rate_limited:sign_in": "Too many failed sign-in attempts. Wait a few minutes and try again.",
};

/** Signs in with next-auth's credentials provider; returns an error message or null. */
export async function signInWithPassword(username: string, password: string): Promise<string | null> {
  const result = await signIn("credentials", { username, password, redirect: false });
  if (result?.ok && !result.error) return null;
  return messages[result?.error ?? ""] ?? "Sign-in failed. Please try again.";
}
