import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-rose-600">403</p>
      <h1 className="mt-2 text-lg font-semibold">You don&apos;t have access to this page</h1>
      <p className="mt-2 text-sm text-slate-600">Your role does not allow it. Ask an admin if you need access.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline">
        Back to datasets
      </Link>
    </div>
  );
}
