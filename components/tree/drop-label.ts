import { DROP_REASONS, type DropCode } from "@/lib/evolution/drop-reasons";

/** A drop code's sentence for a person (shared by the tree and its server-rendered detail). */
export const dropLabel = (code: string | null) =>
  code && code in DROP_REASONS ? DROP_REASONS[code as DropCode] : (code ?? "no reason recorded");
