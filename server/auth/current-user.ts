import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { AppError } from "../errors";
import { authOptions } from "./options";

// Next.js only (server components): the plain Node server must never import this module.

export async function getCurrentUser() {
  const session = await getServerSession(authOptions);
  return session?.user?.id ? session.user : null;
}

export async function requireCurrentUser() {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

/** For HTTP API handlers: the signed-in user, or a 401 `unauthorized:session` error. */
export async function requireApiUser() {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized:session", "Sign in first");
  return user;
}
