import type { Metadata } from "next";
import { ChangePasswordForm, SignOutEverywhereForm } from "@/components/auth/account-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const me = await requireUser("account:own", "/account");
  return (
    <>
      <PageHeader title="Your account" description={`${me.email} · ${me.role}`} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Change password">
          <ChangePasswordForm />
        </Card>
        <Card title="Sessions">
          <SignOutEverywhereForm />
        </Card>
      </div>
    </>
  );
}
