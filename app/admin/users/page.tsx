import type { Metadata } from "next";
import { CreateUserForm, UserRow } from "@/components/admin/user-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requireUser("users:manage", "/admin/users");
  const users = await listUsers(getDb());
  return (
    <>
      <PageHeader
        title="Users"
        description="Create accounts, set roles, reset passwords and end sessions. Changes take effect on the user's next request."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={`${users.length} users`} className="lg:col-span-2">
          <table className="w-full text-left">
            <thead>
              <tr className="text-xs uppercase tracking-wide text-slate-500">
                <th className="pb-2">User</th>
                <th className="pb-2">Role</th>
                <th className="pb-2">Status</th>
                <th className="pb-2">Account</th>
                <th className="pb-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((user) => (
                <UserRow key={user.id} user={user} isSelf={user.id === me.id} />
              ))}
            </tbody>
          </table>
        </Card>
        <Card title="New user">
          <CreateUserForm />
        </Card>
      </div>
    </>
  );
}
