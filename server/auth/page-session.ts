import type { GetServerSidePropsContext, GetServerSidePropsResult } from "next";
import { getServerSession, type Session } from "next-auth";
import { authOptions } from "./options";

// Pages' getServerSideProps only: the session comes from the request they are given.

export type SessionUser = Session["user"];

async function sessionUser({ req, res }: GetServerSidePropsContext): Promise<SessionUser | null> {
  const session = await getServerSession(req, res, authOptions);
  return session?.user?.id ? session.user : null;
}

/** A chat page renders for the signed-in user; anyone else is sent to sign in. */
export async function signedInPageProps(context: GetServerSidePropsContext): Promise<GetServerSidePropsResult<{ user: SessionUser }>> {
  const user = await sessionUser(context);
  return user ? { props: { user } } : { redirect: { destination: "/login", permanent: false } };
}

/** The sign-in and registration pages send a signed-in user to the chat. */
export async function signedOutPageProps(context: GetServerSidePropsContext): Promise<GetServerSidePropsResult<Record<string, never>>> {
  return (await sessionUser(context)) ? { redirect: { destination: "/", permanent: false } } : { props: {} };
}
