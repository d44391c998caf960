import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../db/client.ts";
import { FailureLimiter } from "./rate-limit.ts";
import { credentialsSchema } from "./schemas.ts";
import { authenticate } from "./users.ts";
import { authSecret } from "./secret.ts";

/** Messages the sign-in page shows; next-auth passes a thrown error's message to it. */
export const SIGN_IN_ERRORS = {
  invalid: "Email or password is incorrect.",
} as const;

const signInFailures = new FailureLimiter();

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const parsed = credentialsSchema.safeParse(credentials ?? {});
        if (!parsed.success) throw new Error(parsed.error.issues[0].message);
        const { email, password } = parsed.data;
        const wait = signInFailures.blockedForMinutes(email);
        if (wait)
          throw new Error(
            `Too many failed sign-ins for this account. Try again in ${wait} minute${wait === 1 ? "" : "s"}.`,
          );
        const user = await authenticate(getDb(), email, password);
        if (!user) {
          signInFailures.recordFailure(email);
          throw new Error(SIGN_IN_ERRORS.invalid);
        }
        signInFailures.reset(email);
        return { id: String(user.id), email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    // The token carries only the user id; role and status are read fresh on every request
    // (lib/auth/session.ts), so a role change or a disabled account takes effect at once.
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      return { ...session, userId: token.sub };
    },
  },
};
