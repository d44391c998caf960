-- AlterTable
ALTER TABLE "Task" ADD COLUMN "llmStats" JSONB;
