/**
 * The browser side of an upload route (lib/http/upload-route.ts): the file is the request body,
 * so it is not bound by the server-action body limit, and the route's JSON answer comes back as is.
 * Whatever else happens (too big for the limit, a signed-out session, no JSON, no network)
 * becomes a failure that says so and ends with `nothingDone`.
 */
export type UploadFailure = { ok: false; error: string };

export async function postFile<T extends { ok: true }>(
  url: string,
  file: File,
  {
    maxBytes,
    maxLabel,
    instead,
    retry,
    nothingDone,
  }: { maxBytes: number; maxLabel: string; instead: string; retry: string; nothingDone: string },
): Promise<T | UploadFailure> {
  if (file.size > maxBytes)
    return { ok: false, error: `The file is larger than the ${maxLabel} upload limit; ${instead}.` };
  try {
    const response = await fetch(url, {
      method: "POST",
      body: file,
      headers: { "content-type": "application/octet-stream" },
    });
    if (response.redirected && new URL(response.url).pathname === "/signin")
      return { ok: false, error: `Your session has ended: sign in again, then ${retry}. ${nothingDone}` };
    const body = (await response.json().catch(() => null)) as T | UploadFailure | null;
    return (
      body ?? { ok: false, error: `The server answered ${response.status} ${response.statusText}. ${nothingDone}` }
    );
  } catch {
    return { ok: false, error: `The upload did not reach the server. ${nothingDone}` };
  }
}
