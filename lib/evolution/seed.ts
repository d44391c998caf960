/** Validation of a pipeline's seed input (a boundary: the runner builds it from the DB). */
import { z } from "zod";
import { isConstraintId } from "../constraints/index";
import { EvolutionInputError, type SeedInput } from "./types";

const ConstraintSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("verifiable"),
    id: z.string().refine(isConstraintId, "unknown constraint id"),
    kwargs: z.record(z.string(), z.unknown()),
    text: z.string(),
  }),
  z.object({ kind: z.literal("free"), text: z.string().refine((s) => s.trim() !== "", "is empty") }),
]);

const SeedSchema = z.object({
  id: z.number().int(),
  contentHash: z.string().min(1),
  instruction: z.string().refine((s) => s.trim() !== "", "is empty"),
  input: z.string(),
  referenceResponse: z.string().nullable(),
  constraints: z.array(ConstraintSchema),
});

/** Throws EvolutionInputError naming the bad field. */
export function validateSeed(seed: SeedInput): void {
  const parsed = SeedSchema.safeParse(seed);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const id = typeof (seed as { id?: unknown } | null)?.id === "number" ? ` ${seed.id}` : "";
    throw new EvolutionInputError(`seed${id}: ${issue.path.join(".") || "(seed)"}: ${issue.message}`);
  }
}
