"use client";

import { useActionState } from "react";
import { addMemberAction, removeMemberAction } from "@/app/datasets/[id]/settings/actions";
import { Button } from "@/components/ui/button";
import { Field, FormMessage, Input } from "@/components/ui/field";

export type MemberItem = { email: string; name: string; addedAt: string };

/** The annotators admitted to the dataset: add by email, remove one by one. */
export function MembersPanel({ datasetId, members }: { datasetId: number; members: MemberItem[] }) {
  const [added, add, adding] = useActionState(addMemberAction, null);
  const [removed, remove, removing] = useActionState(removeMemberAction, null);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">Annotators see only the datasets they are members of.</p>
      {members.length === 0 ? (
        <p className="text-sm text-slate-500">No members yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Members">
          {members.map((m) => (
            <li key={m.email} className="flex items-center justify-between gap-2 py-1.5 text-sm">
              <span>
                {m.email}
                {m.name ? <span className="text-slate-500"> · {m.name}</span> : null}
              </span>
              <form action={remove}>
                <input type="hidden" name="datasetId" value={datasetId} />
                <input type="hidden" name="email" value={m.email} />
                <Button type="submit" variant="ghost" disabled={removing} aria-label={`Remove ${m.email}`}>
                  Remove
                </Button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <FormMessage result={removed} />
      <form action={add} className="space-y-2">
        <input type="hidden" name="datasetId" value={datasetId} />
        <Field label="Add an annotator" htmlFor="member-email" error={added && !added.ok ? added.error : undefined}>
          <Input id="member-email" name="email" type="email" required placeholder="annotator@example.com" />
        </Field>
        {added?.ok ? <FormMessage result={added} /> : null}
        <Button type="submit" variant="secondary" disabled={adding}>
          {adding ? "Adding…" : "Add member"}
        </Button>
      </form>
    </div>
  );
}
