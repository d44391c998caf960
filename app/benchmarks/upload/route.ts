import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { uploadBenchmarkSet, uploadSetRequestSchema } from "@/lib/decontam/sets";
import { describeZodIssues } from "@/lib/errors";
import { UPLOAD_LIMITS, webStreamSource } from "@/lib/io";
import { crossSiteRefusal, jsonAnswer, jsonFailure, jsonFailureOf, uploadedBody } from "@/lib/http/upload-route";

export const dynamic = "force-dynamic";

/**
 * The benchmarks page's upload: the prompt file is the request body, streamed into
 * lib/decontam (a server action's body limit would refuse files over 1 MB), the set's name,
 * licence and the file's name in the query string. Adds the set and starts the recheck job;
 * answers { ok, message, jobId } or { ok: false, error } naming the line.
 */
export async function POST(request: Request) {
  const user = await requireUser("datasets:manage", "/benchmarks");
  const refusal = crossSiteRefusal(request);
  if (refusal) return refusal;
  const parsed = uploadSetRequestSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return jsonFailure(describeZodIssues(parsed.error.issues), 400);
  const body = uploadedBody(request, UPLOAD_LIMITS.maxBytes, "split the set into several files");
  if (body instanceof Response) return body;
  try {
    const { set, job } = await uploadBenchmarkSet(getDb(), {
      ...parsed.data,
      source: webStreamSource(body),
      limits: UPLOAD_LIMITS,
      actorId: user.id,
    });
    revalidatePath("/benchmarks");
    return jsonAnswer({
      ok: true,
      jobId: job?.id ?? null,
      message: `Added "${set.name}" with ${set.prompts} prompts${job ? `: re-checking existing seeds and nodes (job #${job.id})` : ""}.`,
    });
  } catch (error) {
    return jsonFailureOf(error, "benchmark upload", "No set was added.");
  }
}
