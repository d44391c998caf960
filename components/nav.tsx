import Link from "next/link";
import { hasScope } from "@/lib/auth/roles";
import type { CurrentUser } from "@/lib/auth/session";
import { SignOutButton } from "./auth/sign-out-button";

export function Nav({ user }: { user: CurrentUser | null }) {
  return (
    <nav className="bg-slate-900">
      <div className="mx-auto flex h-12 max-w-7xl items-center gap-6 px-4">
        <Link href="/" className="text-sm font-semibold text-white">
          ECD Studio
        </Link>
        {user ? (
          <>
            <Link href="/" className="text-sm text-slate-300 hover:text-white">
              Datasets
            </Link>
            {hasScope(user.role, "jobs:run") ? (
              <Link href="/evals" className="text-sm text-slate-300 hover:text-white">
                Evaluations
              </Link>
            ) : null}
            {hasScope(user.role, "datasets:manage") ? (
              <Link href="/benchmarks" className="text-sm text-slate-300 hover:text-white">
                Benchmarks
              </Link>
            ) : null}
            {hasScope(user.role, "users:manage") ? (
              <Link href="/admin/users" className="text-sm text-slate-300 hover:text-white">
                Users
              </Link>
            ) : null}
            <div className="ml-auto flex items-center gap-3">
              <Link href="/account" className="text-sm text-slate-400 hover:text-white" data-testid="current-user">
                {user.email} · {user.role}
              </Link>
              <SignOutButton />
            </div>
          </>
        ) : null}
      </div>
    </nav>
  );
}
