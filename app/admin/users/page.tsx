import type { Metadata } from "next";
import { CreateUserForm, UserRow } from "@/components/admin/user-forms";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, TBody, Th, THead, Tr } from "@/components/ui/table";
import { requireUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { formatCounted } from "@/lib/format";

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
        <Card title={formatCounted(users.length, "user")} className="lg:col-span-2">
          <Table label="Users">
            <THead>
              <Tr>
                <Th>User</Th>
                <Th>Role</Th>
                <Th>Status</Th>
                <Th>Account</Th>
                <Th />
              </Tr>
            </THead>
            <TBody>
              {users.map((user) => (
                <UserRow key={user.id} user={user} isSelf={user.id === me.id} />
              ))}
            </TBody>
          </Table>
        </Card>
        <Card title="New user">
          <CreateUserForm />
        </Card>
      </div>
    </>
  );
}
