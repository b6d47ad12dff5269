import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../../db";
import { AppError } from "../errors";
import { verifyCredentials } from "../services/accounts";
import { createSignInThrottle, signInLimiter, type SignInThrottle } from "../services/sign-in-throttle";
import { getSharedRedis } from "../socket/redis-adapter";
import { SESSION_MAX_AGE_SECONDS } from "./session";

let signInThrottle: SignInThrottle | undefined;
// Created on first use, after the server registered its Redis client (if any).
const throttle = () => (signInThrottle ??= createSignInThrottle(signInLimiter(getSharedRedis())));

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
          const user = await verifyCredentials({ db: getDb(), input: credentials, throttle: throttle() });
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
