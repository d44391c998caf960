import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-2 text-lg font-semibold">Not found</h1>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline">
        Back to datasets
      </Link>
    </div>
  );
}
