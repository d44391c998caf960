/** Test helpers: a scripted ChatModel (no network) and request inspection. */
import type { ChatModel, ChatRequest, ChatResponse } from "../llm/types";
import type { SeedInput } from "./types";

/** A reply: text, an error to throw, or a function of the request. */
export type ScriptedReply = string | Error | ((request: ChatRequest) => string | Error);

/**
 * A ChatModel that answers from a script. `replies` is either a queue (consumed in call order;
 * running out throws) or one function answering every request.
 */
export class ScriptedChatModel implements ChatModel {
  readonly calls: ChatRequest[] = [];
  private readonly queue: ScriptedReply[];

  constructor(
    readonly provider: string,
    readonly model: string,
    replies: ScriptedReply[] | ((request: ChatRequest) => string | Error),
  ) {
    this.queue = typeof replies === "function" ? [] : replies.slice();
    if (typeof replies === "function") this.fallback = replies;
  }

  private fallback: ((request: ChatRequest) => string | Error) | null = null;

  async complete(request: ChatRequest): Promise<ChatResponse> {
    this.calls.push(request);
    let reply: ScriptedReply | undefined = this.queue.length > 0 ? this.queue.shift() : (this.fallback ?? undefined);
    if (reply === undefined)
      throw new Error(`${this.provider}/${this.model}: script exhausted at call ${this.calls.length}`);
    if (typeof reply === "function") reply = reply(request);
    if (reply instanceof Error) throw reply;
    return {
      text: reply,
      usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 },
      provider: this.provider,
      model: this.model,
      latencyMs: 0,
      cached: false,
    };
  }
}

/** The last user message of a request. */
export function userText(request: ChatRequest): string {
  return [...request.messages].reverse().find((m) => m.role === "user")?.content ?? "";
}

/** The ECD tests' seed and its reference answer (R(0) when a test asks for the reference). */
export const LIGHTHOUSE_R0 = "A lighthouse is a tall tower, with a bright lamp at the top, that guides ships at night.";
export const LIGHTHOUSE_SEED: SeedInput = {
  id: 1,
  contentHash: "1",
  instruction: "Describe a lighthouse.",
  input: "",
  referenceResponse: LIGHTHOUSE_R0,
  constraints: [],
};
