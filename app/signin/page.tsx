import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getCurrentUser } from "@/lib/auth/session";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";

export const metadata: Metadata = { title: "Sign in" };

// The one page open to signed-out visitors.
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  if (await getCurrentUser()) redirect("/");
  // next-auth redirects here with ?error=CODE when a sign-in fails without JavaScript; the
  // parameter only picks one of our own messages, its text is never shown.
  const initialError = error ? signInErrorMessage(error) : undefined;
  return (
    <div className="mx-auto mt-12 max-w-sm">
      <h1 className="mb-6 text-center text-xl font-semibold">Sign in to ECD Studio</h1>
      <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <SignInForm callbackUrl={callbackUrl} initialError={initialError} />
      </div>
    </div>
  );
}
