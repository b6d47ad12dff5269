import { getServerSession } from "next-auth";
import { AppError } from "../errors";
import { authOptions } from "./options";

// Next.js route handlers only (the session comes from next/headers): the plain Node server must never import this module.

/** For HTTP API handlers: the signed-in user, or a 401 `unauthorized:session` error. */
export async function requireApiUser() {
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) throw new AppError("unauthorized:session", "Sign in first");
  return session.user;
}
