import { z } from "zod";
import type { TaskHandler } from "../jobs/handlers.ts";
import { PermanentTaskError } from "../jobs/worker.ts";
import { resettlePendingPairs } from "../review/resettle.ts";

const payloadSchema = z.object({ datasetId: z.number().int().positive() });

/** The `resettle` task (started by updateDatasetSettings): pending pairs settled under the new rules. */
export const resettleHandler: TaskHandler = async (db, task, context) => {
  const payload = payloadSchema.safeParse(task.payload);
  if (!payload.success) throw new PermanentTaskError(`resettle task ${task.id} has no dataset id`);
  const result = await resettlePendingPairs(db, payload.data.datasetId, context.signal);
  return { progress: result, write: async () => {} };
};
