// Next.js calls register() once per server process, before it serves requests.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First: client address, forwarded headers and URL length are settled before Next.js reads them.
  (await import("./lib/http/incoming")).installIncomingGuard();
  const { startServer } = await import("./lib/server/startup");
  await startServer();
}
