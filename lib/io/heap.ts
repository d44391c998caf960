import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Bounded heap growth for a process whose one job is a long streaming import or export (`ecd import`,
 * `ecd export`). Their live heap stays small (about 60 MB, whatever the file size), but each batch's
 * rows, parsed values and query results live across a few awaits, so young collections promote them,
 * and V8 lets promoted garbage grow the old generation to several times the live size (about 250 MB)
 * before a full collection: peak resident memory 450–600 MB for 60 MB of data. Here a full collection
 * runs as soon as the old generation has grown `headroomMb` past what the previous one left (checked
 * once per batch or page), so the peak stays near live + headroom. Costs about one full collection
 * (tens of ms) per `headroomMb` promoted: a few per 100,000 rows.
 *
 * Off by default (a no-op `settleHeap()`): the web server keeps V8's own policy, and its pauses.
 * `--max-old-space-size` would bound the heap too, but as a hard limit: a process whose live data is
 * larger than planned would die instead of collecting more often.
 */
let bound: { gc: () => void; headroom: number; limit: number } | null = null;

/** Old generation bytes in use (old space and large objects): what promotion grows. */
function oldGenerationBytes(): number {
  let used = 0;
  for (const space of getHeapSpaceStatistics())
    if (space.space_name === "old_space" || space.space_name === "large_object_space") used += space.space_used_size;
  return used;
}

/** Turns bounded heap growth on for this process (see above). */
export function boundHeapGrowth(headroomMb = 16): void {
  if (bound) return;
  // `gc` is only given to contexts created while --expose-gc is set: one new context gets it.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  setFlagsFromString("--no-expose-gc");
  const headroom = headroomMb * 1024 * 1024;
  bound = { gc, headroom, limit: oldGenerationBytes() + headroom };
}

/** Called between batches: a full collection when the old generation grew past its bound (no-op unless bounded). */
export function settleHeap(): void {
  if (!bound || oldGenerationBytes() < bound.limit) return;
  bound.gc();
  bound.limit = oldGenerationBytes() + bound.headroom;
}
