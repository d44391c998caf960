-- CreateIndex
CREATE INDEX "Pair_datasetId_newConstraintIds_status_idx" ON "Pair"("datasetId", "newConstraintIds", "status");
