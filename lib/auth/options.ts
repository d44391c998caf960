import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "../db/client.ts";
import { clientAddress } from "../http/trusted-proxy.ts";
import { safeCallbackPath } from "./redirect.ts";
import { credentialsSchema } from "./schemas.ts";
import { type SignInErrorCode } from "./sign-in-errors.ts";
import { signInLimiter } from "./sign-in-limits.ts";
import { revokeSession, SESSION_MAX_AGE_SECONDS, startSession } from "./sessions.ts";
import { authenticate } from "./users.ts";
import { authSecret } from "./secret.ts";

// next-auth hands a thrown error's message to the sign-in page, which shows only known codes.
const refuse = (code: SignInErrorCode): never => {
  throw new Error(code);
};

type SignedInUser = { id: string; email: string; name: string; sessionVersion: number };

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request): Promise<SignedInUser> {
        const parsed = credentialsSchema.safeParse(credentials ?? {});
        if (!parsed.success) return refuse("input");
        const { email, password } = parsed.data;
        const client = clientAddress(request?.headers ?? {});
        const limits = signInLimiter();
        // Counted before the password is checked, so parallel guesses are all counted.
        if (!(await limits.begin(email, client)).allowed) return refuse("limited");
        const user = await authenticate(getDb(), email, password);
        if (!user) {
          await limits.failed(email);
          return refuse("invalid");
        }
        await limits.succeeded(email, client);
        return { id: String(user.id), email: user.email, name: user.name, sessionVersion: user.sessionVersion };
      },
    }),
  ],
  callbacks: {
    // The token carries the user id and a session id; the session's validity, the role and the
    // account's status are read fresh on every request (lib/auth/session.ts).
    async jwt({ token, user }) {
      if (user) {
        const signedIn = user as unknown as SignedInUser;
        token.sub = signedIn.id;
        token.sid = await startSession(getDb(), Number(signedIn.id), signedIn.sessionVersion);
      }
      return token;
    },
    session({ session, token }) {
      return { ...session, userId: token.sub, sessionId: token.sid };
    },
    // Never off-site: the same origin check as the sign-in form's.
    redirect({ url, baseUrl }) {
      return new URL(safeCallbackPath(url, baseUrl), baseUrl).toString();
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === "string") await revokeSession(getDb(), token.sid);
    },
  },
};
