import { useRouter } from "next/router";
import { useState } from "react";
import { useChat } from "./chat-provider";

/** next-auth's sign-out exchange (CSRF token, then POST), without the 11 kB next-auth/react client on the chat route. */
async function signOut() {
  const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await fetch("/api/auth/signout", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/login", json: "true" }),
  });
  if (!response.ok) throw new Error(`Sign-out failed (${response.status})`);
}

export function SignOutButton() {
  const chat = useChat();
  const router = useRouter();
  const [signingOut, setSigningOut] = useState(false);
  return (
    <button
      type="button"
      disabled={signingOut}
      onClick={() => {
        setSigningOut(true);
        // This browser stops receiving my pushes before the session (which authorises that) ends.
        chat
          .forgetPush()
          .then(signOut)
          .then(
            () => router.replace("/login"),
            () => setSigningOut(false),
          );
      }}
      className="rounded-lg px-3 py-1.5 text-sm font-medium text-slate-600 ring-1 ring-slate-300 hover:bg-slate-100 disabled:opacity-60"
    >
      Sign out
    </button>
  );
}
