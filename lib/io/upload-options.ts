import { z } from "zod";
import { DomainError } from "../errors.ts";
import { ON_ERROR } from "./import.ts";
import { FILE_FORMATS } from "./parse/records.ts";
import { type ColumnMapping, SHAPES } from "./shapes.ts";

const blank = (value: unknown) => (value === "" || value === null ? undefined : value);

/** The upload page's import options (form fields and query parameters), for the preview action and the upload route. */
export const uploadOptionsSchema = z.object({
  fileName: z.string().max(500).optional(),
  format: z.preprocess(blank, z.enum(FILE_FORMATS).optional()),
  shape: z.preprocess(blank, z.enum([...SHAPES, "auto"]).default("auto")),
  onError: z.preprocess(blank, z.enum(ON_ERROR).default("fail")),
  mapInstruction: z.preprocess(blank, z.string().trim().max(200).optional()),
  mapInput: z.preprocess(blank, z.string().trim().max(200).optional()),
  mapResponse: z.preprocess(blank, z.string().trim().max(200).optional()),
  mapId: z.preprocess(blank, z.string().trim().max(200).optional()),
});
export type UploadOptions = z.output<typeof uploadOptionsSchema>;

/** The column mapping the options describe: only the "mapped" shape uses one, and it needs the instruction column. */
export function uploadMapping(options: UploadOptions): ColumnMapping | undefined {
  if (options.shape !== "mapped") return undefined;
  if (!options.mapInstruction)
    throw new DomainError("Name the column that holds the instruction", "invalid", "mapInstruction");
  return {
    instruction: options.mapInstruction,
    input: options.mapInput,
    response: options.mapResponse,
    id: options.mapId,
  };
}
