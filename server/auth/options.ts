import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../../db";
import { AppError } from "../errors";
import { verifyCredentials } from "../services/accounts";
import { createSignInThrottle } from "../services/sign-in-throttle";
import { SESSION_MAX_AGE_SECONDS } from "./session";

const signInThrottle = createSignInThrottle();

export const authOptions: NextAuthOptions = {
  // The secret comes from NEXTAUTH_SECRET, which the server sets from AUTH_SECRET at start-up.
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Username and password",
      credentials: { username: { type: "text" }, password: { type: "password" } },
      async authorize(credentials) {
        try {
          const user = await verifyCredentials({ db: getDb(), input: credentials, throttle: signInThrottle });
          return { id: user.id, name: user.displayName, username: user.username };
        } catch (error) {
          // next-auth passes a thrown message through to the client as `error`; the code is stable.
          if (error instanceof AppError) throw new Error(error.code);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.name = user.name;
        token.username = user.username;
      }
      return token;
    },
    session({ session, token }) {
      session.user = { id: token.sub ?? "", name: token.name ?? "", username: token.username ?? "" };
      return session;
    },
  },
};
