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
 *
 * It also implements the Batch API as the OpenAI API reference describes it: `/v1/files`
 * (multipart upload, GET the object and its content) and `/v1/batches` (create, retrieve, list
 * with `after`/`limit`, cancel). A batch is `in_progress` until `batchDelayMs` after it was
 * created, then its requests are answered by the same `handler` (a scripted error status fails
 * that request inside the batch: its line goes to the error file) and it is `completed`. Every
 * submitted batch and its requests are logged in `batches` / `batchRequestsPerHash`; batch
 * requests are not counted as direct chat requests (`totalRequests`, `requestsPerHash`).
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
  /** The id of the batch this request is in (batch requests only). */
  batchId?: string;
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
  /** Listen on this loopback port (default: a free one), for servers another process is configured to call. */
  port?: number;
  /** A batch completes this long after it was created (default 0: at its first retrieve). */
  batchDelayMs?: number;
}

/** A file as /v1/files returns it (plus its content). */
interface StoredFile {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: "processed";
  content: string;
}

/** The batch object of the OpenAI API reference. */
export interface BatchObject {
  id: string;
  object: "batch";
  endpoint: string;
  errors: { object: "list"; data: { code: string; message: string; line: number | null }[] } | null;
  input_file_id: string;
  completion_window: string;
  status: "validating" | "failed" | "in_progress" | "finalizing" | "completed" | "expired" | "cancelling" | "cancelled";
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

/** One submitted batch, for assertions: its metadata and every request line in it. */
export interface SubmittedBatch {
  id: string;
  metadata: Record<string, string> | null;
  requests: { custom_id: string; hash: string; body: ChatCompletionBody }[];
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
  /** See LlmTestServerOptions.batchDelayMs; may be changed while batches are open. */
  batchDelayMs: number;
  /** Called when a batch was created, before the reply is sent (a test may kill its client here). */
  onBatchCreated: ((batch: SubmittedBatch) => void | Promise<void>) | null = null;
  /** Every batch created, in order. */
  readonly batches: SubmittedBatch[] = [];
  /** Requests submitted inside batches, per request hash. */
  readonly batchRequestsPerHash = new Map<string, number>();
  readonly #files = new Map<string, StoredFile>();
  readonly #batchObjects = new Map<string, BatchObject>();
  /** Batches being answered (the handler may be async): each is answered once. */
  readonly #answering = new Map<string, Promise<void>>();
  readonly #batchCreatedAt = new Map<string, number>();
  #nextId = 0;
  #batchRequestNumber = 0;
  /** The bodies of the requests in flight now (read by a handler, e.g. to count in-flight requests per job). */
  readonly active = new Set<ChatCompletionBody>();

  readonly #recordRequests: boolean;
  readonly #port: number;
  #server: Server | null = null;
  #url = "";
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: LlmTestServerOptions = {}) {
    this.handler = options.handler ?? (() => ({ content: "ok" }));
    this.latencyMs = options.latencyMs ?? 0;
    this.#recordRequests = options.recordRequests ?? true;
    this.#port = options.port ?? 0;
    this.batchDelayMs = options.batchDelayMs ?? 0;
  }

  /** Base URL for the SDK, e.g. http://127.0.0.1:41234/v1 */
  get url(): string {
    if (!this.#url) throw new Error("the LLM test server is not started");
    return this.#url;
  }

  /** Starts listening (on a free port unless one was given) and returns the base URL. */
  async start(): Promise<string> {
    if (this.#server) return this.#url;
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#port, "127.0.0.1", () => {
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
    const batchPath = pathname.replace(/^\/v1(?=\/)/, "");
    if (batchPath.startsWith("/files") || batchPath.startsWith("/batches")) {
      try {
        await this.#handleBatchApi(req, res, batchPath);
      } catch (error) {
        sendJson(res, 500, {
          error: {
            message: `test server: ${error instanceof Error ? error.message : String(error)}`,
            type: "server_error",
          },
        });
      }
      return;
    }
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

  async #handleBatchApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const notFound = (what: string) =>
      sendJson(res, 404, { error: { message: `No such ${what}`, type: "invalid_request_error", code: null } });
    const bad = (message: string) =>
      sendJson(res, 400, { error: { message, type: "invalid_request_error", code: null } });
    let m: RegExpExecArray | null;
    if (req.method === "POST" && path === "/files") {
      const form = await new Request("http://localhost/files", {
        method: "POST",
        headers: { "content-type": String(req.headers["content-type"] ?? "") },
        body: await readBody(req),
      }).formData();
      const file = form.get("file");
      const purpose = form.get("purpose");
      if (!(file instanceof Blob)) return bad("'file' is required");
      if (typeof purpose !== "string" || !purpose) return bad("'purpose' is required");
      const content = await file.text();
      const stored: StoredFile = {
        id: this.#id("file"),
        object: "file",
        bytes: Buffer.byteLength(content),
        created_at: now(),
        filename: file instanceof File ? file.name : "upload",
        purpose,
        status: "processed",
        content,
      };
      this.#files.set(stored.id, stored);
      return sendJson(res, 200, fileObject(stored));
    }
    if (req.method === "GET" && (m = /^\/files\/([^/]+)\/content$/.exec(path))) {
      const file = this.#files.get(m[1]!);
      if (!file) return notFound("file");
      return send(res, 200, "application/octet-stream", file.content);
    }
    if (req.method === "GET" && (m = /^\/files\/([^/]+)$/.exec(path))) {
      const file = this.#files.get(m[1]!);
      return file ? sendJson(res, 200, fileObject(file)) : notFound("file");
    }
    if (req.method === "POST" && path === "/batches") {
      let body: { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown; metadata?: unknown };
      try {
        body = JSON.parse(await readBody(req)) as typeof body;
      } catch {
        return bad("the request body is not JSON");
      }
      const input = typeof body.input_file_id === "string" ? this.#files.get(body.input_file_id) : undefined;
      if (!input) return bad("input_file_id: no such file");
      if (input.purpose !== "batch") return bad("input_file_id: the file's purpose must be 'batch'");
      if (body.endpoint !== "/v1/chat/completions") return bad("endpoint: only /v1/chat/completions is served here");
      if (body.completion_window !== "24h") return bad("completion_window: must be '24h'");
      const metadata = (body.metadata ?? null) as Record<string, string> | null;
      const requests: SubmittedBatch["requests"] = [];
      const lines = input.content.split("\n").filter((line) => line.trim());
      for (const [index, line] of lines.entries()) {
        let parsed: { custom_id?: unknown; method?: unknown; url?: unknown; body?: ChatCompletionBody };
        try {
          parsed = JSON.parse(line) as typeof parsed;
        } catch {
          return bad(`input file line ${index + 1}: not JSON`);
        }
        if (
          typeof parsed.custom_id !== "string" ||
          parsed.method !== "POST" ||
          parsed.url !== body.endpoint ||
          !parsed.body
        )
          return bad(`input file line ${index + 1}: needs custom_id, method POST, url ${body.endpoint} and body`);
        if (requests.some((r) => r.custom_id === parsed.custom_id))
          return bad(`input file line ${index + 1}: duplicate custom_id ${parsed.custom_id}`);
        requests.push({ custom_id: parsed.custom_id, hash: requestHash(parsed.body), body: parsed.body });
      }
      const created = now();
      const batch: BatchObject = {
        id: this.#id("batch"),
        object: "batch",
        endpoint: body.endpoint,
        errors: null,
        input_file_id: input.id,
        completion_window: "24h",
        status: "in_progress",
        output_file_id: null,
        error_file_id: null,
        created_at: created,
        in_progress_at: created,
        expires_at: created + 86_400,
        finalizing_at: null,
        completed_at: null,
        failed_at: null,
        expired_at: null,
        cancelling_at: null,
        cancelled_at: null,
        request_counts: { total: requests.length, completed: 0, failed: 0 },
        metadata,
      };
      this.#batchObjects.set(batch.id, batch);
      this.#batchCreatedAt.set(batch.id, Date.now());
      this.batches.push({ id: batch.id, metadata, requests });
      for (const request of requests)
        this.batchRequestsPerHash.set(request.hash, (this.batchRequestsPerHash.get(request.hash) ?? 0) + 1);
      await this.onBatchCreated?.(this.batches.at(-1)!);
      if (res.destroyed) return;
      return sendJson(res, 200, batch);
    }
    if (req.method === "GET" && path === "/batches") {
      const limit = Math.min(100, Math.max(1, Number(url.searchParams.get("limit") ?? 20) || 20));
      const after = url.searchParams.get("after");
      // Newest first, as the API lists them.
      const all = [...this.#batchObjects.values()].reverse();
      const start = after ? all.findIndex((b) => b.id === after) + 1 : 0;
      const page = all.slice(start, start + limit);
      for (const batch of page) await this.#advance(batch);
      return sendJson(res, 200, {
        object: "list",
        data: page,
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
        has_more: start + limit < all.length,
      });
    }
    if (req.method === "GET" && (m = /^\/batches\/([^/]+)$/.exec(path))) {
      const batch = this.#batchObjects.get(m[1]!);
      if (!batch) return notFound("batch");
      await this.#advance(batch);
      return sendJson(res, 200, batch);
    }
    if (req.method === "POST" && (m = /^\/batches\/([^/]+)\/cancel$/.exec(path))) {
      const batch = this.#batchObjects.get(m[1]!);
      if (!batch) return notFound("batch");
      if (batch.status === "in_progress" || batch.status === "validating") {
        batch.status = "cancelled";
        batch.cancelling_at = batch.cancelled_at = now();
      }
      return sendJson(res, 200, batch);
    }
    return notFound(`route ${req.method} ${path}`);
  }

  /** Completes an in-progress batch whose time has come: answers its requests, writes its files. */
  async #advance(batch: BatchObject): Promise<void> {
    if (batch.status !== "in_progress") return;
    if (Date.now() - (this.#batchCreatedAt.get(batch.id) ?? 0) < this.batchDelayMs) return;
    let answering = this.#answering.get(batch.id);
    if (!answering) {
      answering = this.#answer(batch);
      this.#answering.set(batch.id, answering);
    }
    await answering;
  }

  async #answer(batch: BatchObject): Promise<void> {
    const submitted = this.batches.find((b) => b.id === batch.id)!;
    const output: string[] = [];
    const errors: string[] = [];
    const perHash = new Map<string, number>();
    for (const request of submitted.requests) {
      const hashCount = (perHash.get(request.hash) ?? 0) + 1;
      perHash.set(request.hash, hashCount);
      let reply: ScriptedReply;
      try {
        reply = await this.handler(request.body, {
          requestNumber: ++this.#batchRequestNumber,
          hash: request.hash,
          hashCount: this.batchRequestsPerHash.get(request.hash) ?? hashCount,
          headers: {},
          batchId: batch.id,
        });
      } catch (error) {
        reply = {
          status: 500,
          message: `test handler failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      const line = { id: `batch_req_${++this.#nextId}`, custom_id: request.custom_id };
      const requestId = `req_${this.#nextId}`;
      if (reply.status !== undefined && reply.status !== 200) {
        errors.push(
          JSON.stringify({
            ...line,
            response: {
              status_code: reply.status,
              request_id: requestId,
              body: { error: { message: reply.message ?? `scripted HTTP ${reply.status}`, type: "server_error" } },
            },
            error: null,
          }),
        );
        continue;
      }
      output.push(
        JSON.stringify({
          ...line,
          response: {
            status_code: 200,
            request_id: requestId,
            body: completionBody(request.body, reply, this.#nextId),
          },
          error: null,
        }),
      );
      this.paidPerHash.set(request.hash, (this.paidPerHash.get(request.hash) ?? 0) + 1);
    }
    if (batch.status !== "in_progress") return; // cancelled meanwhile
    const file = (lines: string[], name: string) => {
      const content = lines.map((l) => `${l}\n`).join("");
      const stored: StoredFile = {
        id: this.#id("file"),
        object: "file",
        bytes: Buffer.byteLength(content),
        created_at: now(),
        filename: name,
        purpose: "batch_output",
        status: "processed",
        content,
      };
      this.#files.set(stored.id, stored);
      return stored.id;
    };
    batch.output_file_id = output.length ? file(output, `${batch.id}_output.jsonl`) : null;
    batch.error_file_id = errors.length ? file(errors, `${batch.id}_error.jsonl`) : null;
    batch.request_counts = { total: submitted.requests.length, completed: output.length, failed: errors.length };
    batch.finalizing_at = batch.completed_at = now();
    batch.status = "completed";
  }

  #id(prefix: string): string {
    return `${prefix}-${(++this.#nextId).toString(36).padStart(6, "0")}`;
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
    sendJson(res, 200, completionBody(body, reply, this.totalRequests));
    return 200;
  }
}

/** A chat.completion object answering `body` with the scripted reply. */
function completionBody(body: ChatCompletionBody, reply: ScriptedReply, n: number) {
  const content = reply.content ?? "ok";
  const promptChars = (Array.isArray(body.messages) ? body.messages : []).reduce(
    (sum, message) => sum + String(message?.content ?? "").length,
    0,
  );
  const usage = reply.usage ?? {
    prompt_tokens: Math.max(1, Math.ceil(promptChars / 4)),
    completion_tokens: Math.max(1, Math.ceil(content.length / 4)),
  };
  return {
    id: `chatcmpl-${n}`,
    object: "chat.completion",
    created: now(),
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: reply.finishReason ?? "stop" }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function fileObject(file: StoredFile) {
  const { content: _content, ...object } = file;
  return object;
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
