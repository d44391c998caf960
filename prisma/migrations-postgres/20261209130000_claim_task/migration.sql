-- DropIndex
DROP INDEX "Task_jobId_status_idx";

-- CreateIndex
CREATE INDEX "Task_jobId_status_id_idx" ON "Task"("jobId", "status", "id");
