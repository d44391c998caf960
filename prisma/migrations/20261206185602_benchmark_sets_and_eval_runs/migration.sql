-- CreateTable
CREATE TABLE "BenchmarkSet" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'upload',
    "licence" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "BenchmarkPrompt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "setId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "key" TEXT,
    "prompt" TEXT NOT NULL,
    "instructionIds" JSONB NOT NULL,
    "kwargs" JSONB NOT NULL,
    CONSTRAINT "BenchmarkPrompt_setId_fkey" FOREIGN KEY ("setId") REFERENCES "BenchmarkSet" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvalRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "jobId" INTEGER,
    "benchmarkSetId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "temperature" REAL NOT NULL DEFAULT 0,
    "maxTokens" INTEGER,
    "systemPrompt" TEXT,
    "concurrency" INTEGER NOT NULL DEFAULT 4,
    "trainingData" TEXT,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EvalRun_benchmarkSetId_fkey" FOREIGN KEY ("benchmarkSetId") REFERENCES "BenchmarkSet" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvalResponse" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "promptId" INTEGER NOT NULL,
    "response" TEXT NOT NULL,
    "strict" JSONB NOT NULL,
    "loose" JSONB NOT NULL,
    "allStrict" BOOLEAN NOT NULL,
    "allLoose" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EvalResponse_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvalRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EvalResponse_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "BenchmarkPrompt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "BenchmarkSet_name_key" ON "BenchmarkSet"("name");

-- CreateIndex
CREATE UNIQUE INDEX "BenchmarkPrompt_setId_position_key" ON "BenchmarkPrompt"("setId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "EvalRun_jobId_key" ON "EvalRun"("jobId");

-- CreateIndex
CREATE INDEX "EvalRun_createdAt_idx" ON "EvalRun"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "EvalResponse_runId_promptId_key" ON "EvalResponse"("runId", "promptId");
