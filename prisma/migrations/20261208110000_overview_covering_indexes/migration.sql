-- DropIndex
DROP INDEX "Pair_datasetId_lengthRatio_idx";

-- CreateIndex
CREATE INDEX "Pair_datasetId_lengthRatio_method_depth_newConstraintIds_idx" ON "Pair"("datasetId", "lengthRatio", "method", "depth", "newConstraintIds");

-- CreateIndex
CREATE INDEX "Pair_datasetId_depth_method_constraintIds_status_idx" ON "Pair"("datasetId", "depth", "method", "constraintIds", "status");

-- CreateIndex
CREATE INDEX "Pair_datasetId_edited_override_idx" ON "Pair"("datasetId", "edited", "override");
