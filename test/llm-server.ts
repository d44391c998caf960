/**
 * A local OpenAI-compatible chat-completions server for tests and benches (node:http on
 * 127.0.0.1, random port). Replies are scripted by a handler; the server counts requests in
 * total, per request hash (model + messages) and in flight, so a test can assert that nothing was
 * paid for twice and that a concurrency limit held.
 *
 *   const server = await startLlmServer({ handler: (body) => ({ content: "hi" }) });
 *   const model = new OpenAICompatibleChatModel({ provider: "local", baseUrl: server.url, model: "m" });
 *   ...
 *   await server.stop();
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatCompletionBody {
  model: string;
  messages: { role: string; content: string }[];
  [field: string]: unknown;
}

/** What the server answers to one request. */
export interface ScriptedReply {
  /** The assistant message (default "ok"). */
  content?: string;
  /** An error status (e.g. 429, 500, 400) with an OpenAI-style error body. */
  status?: number;
  /** Error message for `status`. */
  message?: string;
  /** Retry-After header: seconds, or a string sent as is (an HTTP date). */
  retryAfter?: number | string;
  /** retry-after-ms header. */
  retryAfterMs?: number;
  /** Wait this long before answering (on top of the server's latency): provokes client timeouts. */
  delayMs?: number;
  /** An unreadable 200: `true`/"invalid-json" = broken JSON body, "no-choices" = JSON without choices, "html" = a text/html page. */
  garbage?: boolean | "invalid-json" | "no-choices" | "html";
  /** Usage numbers (default: about one token per 4 characters). */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Default "stop". */
  finishReason?: string;
}

export interface ReplyInfo {
  /** 1-based number of this request among all requests the server received. */
  requestNumber: number;
  /** requestHash(body) */
  hash: string;
  /** How many requests with this hash arrived so far, this one included. */
  hashCount: number;
  headers: IncomingMessage["headers"];
}

export type ReplyHandler = (body: ChatCompletionBody, info: ReplyInfo) => ScriptedReply | Promise<ScriptedReply>;

export interface RecordedRequest {
  path: string;
  body: ChatCompletionBody;
  hash: string;
  headers: IncomingMessage["headers"];
  /** The status answered (0 if the client went away first). */
  status: number;
}

export interface LlmTestServerOptions {
  handler?: ReplyHandler;
  /** Fixed latency added to every reply (e.g. 200 for bench/jobs). */
  latencyMs?: number;
  /** Keep every request body in `requests` (default true; benches with many calls may turn it off). */
  recordRequests?: boolean;
}

/** sha256 of the canonical {model, messages} of a chat-completions body. */
export function requestHash(body: Pick<ChatCompletionBody, "model" | "messages">): string {
  const messages = (Array.isArray(body.messages) ? body.messages : []).map((message) => ({
    content: message?.content,
    role: message?.role,
  }));
  return createHash("sha256")
    .update(JSON.stringify({ messages, model: body.model }))
    .digest("hex");
}

const COMPLETION_PATHS = new Set(["/v1/chat/completions", "/chat/completions"]);

export class LlmTestServer {
  handler: ReplyHandler;
  latencyMs: number;
  readonly requests: RecordedRequest[] = [];
  /** Requests received per request hash (every status). */
  readonly requestsPerHash = new Map<string, number>();
  /** Successful (200, readable) answers per request hash: what a real provider would bill. */
  readonly paidPerHash = new Map<string, number>();
  totalRequests = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** The bodies of the requests in flight now (read by a handler, e.g. to count in-flight requests per job). */
  readonly active = new Set<ChatCompletionBody>();

  readonly #recordRequests: boolean;
  #server: Server | null = null;
  #url = "";
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: LlmTestServerOptions = {}) {
    this.handler = options.handler ?? (() => ({ content: "ok" }));
    this.latencyMs = options.latencyMs ?? 0;
    this.#recordRequests = options.recordRequests ?? true;
  }

  /** Base URL for the SDK, e.g. http://127.0.0.1:41234/v1 */
  get url(): string {
    if (!this.#url) throw new Error("the LLM test server is not started");
    return this.#url;
  }

  /** Starts listening on a random port and returns the base URL. */
  async start(): Promise<string> {
    if (this.#server) return this.#url;
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    return this.#url;
  }

  /** Stops listening, drops open connections and pending replies. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Requests received for the request hash of `body` (or for a hash). */
  countFor(bodyOrHash: string | Pick<ChatCompletionBody, "model" | "messages">): number {
    const hash = typeof bodyOrHash === "string" ? bodyOrHash : requestHash(bodyOrHash);
    return this.requestsPerHash.get(hash) ?? 0;
  }

  /** Request hashes answered successfully more than once: should be empty when nothing was paid twice. */
  repeatedPaidCalls(): { hash: string; count: number }[] {
    return [...this.paidPerHash].filter(([, count]) => count > 1).map(([hash, count]) => ({ hash, count }));
  }

  resetCounters(): void {
    this.requests.length = 0;
    this.requestsPerHash.clear();
    this.paidPerHash.clear();
    this.totalRequests = 0;
    this.maxInFlight = this.inFlight;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? "/").split("?")[0]!;
    if (req.method !== "POST" || !COMPLETION_PATHS.has(pathname)) {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${pathname}`, type: "invalid_request_error" } });
      return;
    }
    this.totalRequests++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      this.inFlight--;
    };
    res.once("close", done);

    let body: ChatCompletionBody;
    try {
      body = JSON.parse(await readBody(req)) as ChatCompletionBody;
    } catch {
      sendJson(res, 400, { error: { message: "the request body is not JSON", type: "invalid_request_error" } });
      return;
    }
    if (!finished) {
      this.active.add(body);
      res.once("close", () => this.active.delete(body));
    }
    const hash = requestHash(body);
    const hashCount = (this.requestsPerHash.get(hash) ?? 0) + 1;
    this.requestsPerHash.set(hash, hashCount);
    const record: RecordedRequest = { path: pathname, body, hash, headers: req.headers, status: 0 };
    if (this.#recordRequests) this.requests.push(record);

    let reply: ScriptedReply;
    try {
      reply = await this.handler(body, { requestNumber: this.totalRequests, hash, hashCount, headers: req.headers });
    } catch (error) {
      reply = {
        status: 500,
        message: `test handler failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const wait = this.latencyMs + (reply.delayMs ?? 0);
    if (wait > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          resolve();
        }, wait);
        this.#timers.add(timer);
        res.once("close", () => {
          clearTimeout(timer);
          this.#timers.delete(timer);
          resolve();
        });
      });
    }
    if (res.destroyed || res.writableEnded || !this.#server) return;
    record.status = this.#reply(res, body, reply);
    if (record.status === 200 && !reply.garbage) this.paidPerHash.set(hash, (this.paidPerHash.get(hash) ?? 0) + 1);
  }

  #reply(res: ServerResponse, body: ChatCompletionBody, reply: ScriptedReply): number {
    if (reply.status !== undefined && reply.status !== 200) {
      const headers: Record<string, string> = {};
      if (reply.retryAfter !== undefined) headers["retry-after"] = String(reply.retryAfter);
      if (reply.retryAfterMs !== undefined) headers["retry-after-ms"] = String(reply.retryAfterMs);
      const type =
        reply.status === 429 ? "rate_limit_error" : reply.status >= 500 ? "server_error" : "invalid_request_error";
      sendJson(
        res,
        reply.status,
        { error: { message: reply.message ?? `scripted HTTP ${reply.status}`, type, code: null } },
        headers,
      );
      return reply.status;
    }
    if (reply.garbage) {
      if (reply.garbage === "no-choices")
        sendJson(res, 200, { id: "chatcmpl-test", object: "chat.completion", model: body.model });
      else if (reply.garbage === "html") send(res, 200, "text/html", "<html><body>Welcome to nginx!</body></html>");
      else send(res, 200, "application/json", '{"id": "chatcmpl-test", "choices": [{"message": ');
      return 200;
    }
    const content = reply.content ?? "ok";
    const promptChars = (Array.isArray(body.messages) ? body.messages : []).reduce(
      (sum, message) => sum + String(message?.content ?? "").length,
      0,
    );
    const usage = reply.usage ?? {
      prompt_tokens: Math.max(1, Math.ceil(promptChars / 4)),
      completion_tokens: Math.max(1, Math.ceil(content.length / 4)),
    };
    sendJson(res, 200, {
      id: `chatcmpl-${this.totalRequests}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: reply.finishReason ?? "stop" }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
    return 200;
  }
}

/** Creates and starts a server. */
export async function startLlmServer(options: LlmTestServerOptions = {}): Promise<LlmTestServer> {
  const server = new LlmTestServer(options);
  await server.start();
  return server;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, "application/json", JSON.stringify(value), headers);
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
